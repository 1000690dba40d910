"""Signing keys in the database: the current key, rotation, publication.

Private keys are stored encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived
by HKDF-SHA256 from LABEL_KEY_ENCRYPTION_SECRET (default: SECRET_KEY), or not stored at all
when they come from the environment (LABEL_SIGNING_PRIVATE_KEY / _FILE).
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from . import conf, signing
from .models import SigningKey

KEYS_CACHE_KEY = "certificates:keys:v1"


def _fernet() -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"carbon-portal-label-keys",
                   info=b"fernet").derive(conf.key_encryption_secret().encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_private_key(private_key: Ed25519PrivateKey) -> str:
    return _fernet().encrypt(signing.raw_private_key(private_key)).decode("ascii")


def private_key_of(key: SigningKey) -> Ed25519PrivateKey:
    if key.private_key_source == SigningKey.PrivateKeySource.DATABASE:
        try:
            raw = _fernet().decrypt(key.private_key_encrypted.encode("ascii"))
        except InvalidToken:
            raise ImproperlyConfigured(
                f"cannot decrypt signing key {key.key_id}: LABEL_KEY_ENCRYPTION_SECRET (or SECRET_KEY) changed"
            ) from None
        private_key = signing.private_key_from_raw(raw)
    else:
        pem = conf.environment_private_key_pem()
        if not pem:
            raise ImproperlyConfigured(f"signing key {key.key_id} is kept in LABEL_SIGNING_PRIVATE_KEY, which is not set")
        private_key = signing.private_key_from_pem(pem)
    if base64.b64encode(signing.raw_public_key(private_key)).decode("ascii") != key.public_key:
        raise ImproperlyConfigured(f"the private key available does not match signing key {key.key_id}")
    return private_key


@transaction.atomic
def rotate_signing_key(*, private_key_pem: str | None = None) -> SigningKey:
    """Make a new key current and retire the previous one (it stays published and keeps
    verifying the labels it signed). With `private_key_pem` the key is kept outside the
    database: only its public half is stored, the private half is read from
    LABEL_SIGNING_PRIVATE_KEY(_FILE) when signing."""
    if private_key_pem:
        private_key = signing.private_key_from_pem(private_key_pem)
        source, encrypted = SigningKey.PrivateKeySource.ENVIRONMENT, ""
    else:
        private_key = signing.generate_private_key()
        source, encrypted = SigningKey.PrivateKeySource.DATABASE, encrypt_private_key(private_key)
    public_raw = signing.raw_public_key(private_key)
    public_b64 = base64.b64encode(public_raw).decode("ascii")
    existing = SigningKey.objects.select_for_update().filter(public_key=public_b64).first()
    SigningKey.objects.select_for_update().filter(is_current=True).update(is_current=False, retired_at=timezone.now())
    if existing:  # re-registering a retired key from the environment makes it current again
        SigningKey.objects.filter(pk=existing.pk).update(is_current=True, retired_at=None)
        key = SigningKey.objects.get(pk=existing.pk)
    else:
        key = SigningKey.objects.create(key_id=signing.key_id_for(public_raw), public_key=public_b64,
                                        private_key_source=source, private_key_encrypted=encrypted, is_current=True)
    cache.delete(KEYS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(KEYS_CACHE_KEY))
    return key


def current_signing_key() -> SigningKey:
    """The key that signs new labels; the first one is created on first use."""
    key = SigningKey.objects.filter(is_current=True).first()
    if key is None:
        pem = conf.environment_private_key_pem()
        key = rotate_signing_key(private_key_pem=pem or None)
    return key


def published_keys() -> list[dict]:
    """Every key that ever signed or signs labels: GET /api/v1/keys."""
    keys = cache.get(KEYS_CACHE_KEY)
    if keys is None:
        keys = [
            {
                "key_id": key.key_id,
                "alg": signing.ALGORITHM,
                "status": "current" if key.is_current else "retired",
                "public_key": key.public_key,
                "public_key_pem": signing.public_key_pem(key.public_key),
                "created_at": key.created_at.isoformat(),
                "retired_at": key.retired_at.isoformat() if key.retired_at else None,
            }
            for key in SigningKey.objects.order_by("created_at", "id")
        ]
        cache.set(KEYS_CACHE_KEY, keys, conf.cache_seconds())
    return keys
