"""SM4 (GB/T 32907-2016) encryption of evidence files at rest.

SM4 in GCM mode: a random 96-bit nonce per file, a 128-bit tag, and the file's identity
(enterprise and SHA-256) as associated data, so that a stored file cannot be swapped for
another one unnoticed. Stored form: b"CPE1" + nonce (12) + ciphertext + tag (16).

The key is settings.EVIDENCE_ENCRYPTION_KEY (32 hex digits). Without it, evidence is refused,
except with DEBUG on (the embedded default), where a development key is derived from
SECRET_KEY so that `make run` works out of the box.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"CPE1"
NONCE_BYTES = 12
TAG_BYTES = 16
ALGORITHM = "sm4-gcm"

logger = logging.getLogger(__name__)


class EvidenceIntegrityError(Exception):
    """A stored evidence file does not decrypt with its identity: altered, swapped or wrong key."""


def encryption_key() -> bytes:
    configured = settings.EVIDENCE_ENCRYPTION_KEY.strip()
    if configured:
        try:
            key = bytes.fromhex(configured)
        except ValueError:
            key = b""
        if len(key) != 16:
            raise ImproperlyConfigured("EVIDENCE_ENCRYPTION_KEY must be 32 hexadecimal digits (a 128-bit SM4 key).")
        return key
    if settings.DEBUG:
        logger.warning("EVIDENCE_ENCRYPTION_KEY is not set: using a development key derived from SECRET_KEY.")
        return hmac.new(settings.SECRET_KEY.encode(), b"carbon-portal evidence key", hashlib.sha256).digest()[:16]
    raise ImproperlyConfigured("Set EVIDENCE_ENCRYPTION_KEY (32 hex digits): evidence is never stored unencrypted.")


def key_id(key: bytes) -> str:
    """A short public name of a key, stored with each file (for key rotation)."""
    return hashlib.sha256(b"carbon-portal evidence key id:" + key).hexdigest()[:16]


def encrypt(plaintext: bytes, *, associated_data: bytes, key: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return MAGIC + nonce + ciphertext + encryptor.tag


def decrypt(blob: bytes, *, associated_data: bytes, key: bytes) -> bytes:
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + NONCE_BYTES + TAG_BYTES:
        raise EvidenceIntegrityError("not an encrypted evidence file")
    nonce = blob[len(MAGIC):len(MAGIC) + NONCE_BYTES]
    ciphertext, tag = blob[len(MAGIC) + NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated_data)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise EvidenceIntegrityError("the evidence file does not match its record (altered or wrong key)") from None
