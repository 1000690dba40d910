"""Device keys: made once and shown once; only their SHA-256 is stored."""

import hashlib
import secrets


def new_device_key() -> str:
    return "dk_" + secrets.token_urlsafe(32)


def hash_device_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
