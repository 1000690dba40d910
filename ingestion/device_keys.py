"""Device keys: made once and shown once; only their SHA-256 (HTTP) and Mosquitto hash (MQTT) are stored."""

import base64
import hashlib
import secrets


def new_device_key() -> str:
    return "dk_" + secrets.token_urlsafe(32)


def hash_device_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


MOSQUITTO_ITERATIONS = 1000


def mosquitto_hash(password: str, *, iterations: int = MOSQUITTO_ITERATIONS, salt: bytes | None = None) -> str:
    """Mosquitto's password-file hash (`$7$`: PBKDF2-SHA512, a 12-byte salt, base64), what
    `mosquitto_passwd` writes: `<username>:<this>` is a line of the broker's password_file.
    A device's MQTT password is its device key; this hash is stored when the key is made, so
    that `manage.py mosquitto_config` can write the password file without the key."""
    salt = salt if salt is not None else secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
