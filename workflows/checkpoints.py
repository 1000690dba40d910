"""Signed checkpoints of the audit trail's head, kept outside the database.

The hash chain detects an entry changed or removed in the middle of the trail, and the chain
head row the newest entries removed, unless someone with database rights removes the newest
entries and rewinds the head as well. A checkpoint anchors the head outside the database: the
newest (sequence, hash) and the time, signed with an Ed25519 key of its own
(`AUDIT_CHECKPOINT_KEY_FILE`, made on first use, readable by its owner only) and appended as one
JSON line to `AUDIT_CHECKPOINT_FILE`. `verify_audit_log` checks every checkpoint's signature and
that the trail still holds each checkpointed entry. Keep the file (and a copy of the public key)
where the database's administrators cannot rewrite it.

The label-signing keys (certificates) are a different key store in a higher layer; this key
signs nothing but checkpoints.
"""

import base64
import datetime
import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

ALGORITHM = "Ed25519"


def _key_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_KEY_FILE)


def _file_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def load_private_key(*, create: bool = True) -> Ed25519PrivateKey | None:
    """The checkpoint key; made (PEM, mode 0600) when there is none and `create` is set."""
    path = _key_path()
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
            return key
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def signed_payload(sequence: int, entry_hash: str, time: str) -> bytes:
    """The exact bytes that are signed."""
    return json.dumps({"sequence": sequence, "entry_hash": entry_hash, "time": time},
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def append_checkpoint(*, sequence: int, entry_hash: str) -> dict:
    """Sign (sequence, entry_hash, now) and append it to the checkpoint file; return the line."""
    key = load_private_key()
    time = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")
    record = {"sequence": sequence, "entry_hash": entry_hash, "time": time, "algorithm": ALGORITHM,
              "key_id": key_id(key.public_key()),
              "signature": base64.b64encode(key.sign(signed_payload(sequence, entry_hash, time))).decode("ascii")}
    path = _file_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.write(json.dumps(record, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return record


@dataclass(frozen=True)
class Checkpoint:
    line: int
    sequence: int
    entry_hash: str
    time: str


def read_checkpoints() -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints whose signature holds, and a problem for each line that does not (or that
    cannot be checked: a file but no key). No file: none yet, and no problem."""
    path = _file_path()
    if not path.exists():
        return [], []
    lines = path.read_text(encoding="utf-8").splitlines()
    if not any(line.strip() for line in lines):
        return [], []
    key = load_private_key(create=False)
    if key is None:
        return [], [(f"the checkpoint file {path} exists but the checkpoint key {_key_path()} is missing: "
                     "the checkpoints cannot be verified")]
    public_key, expected_id = key.public_key(), key_id(key.public_key())
    checkpoints, problems = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            sequence, entry_hash, time = int(record["sequence"]), str(record["entry_hash"]), str(record["time"])
            signature = base64.b64decode(record["signature"], validate=True)
        except (ValueError, KeyError, TypeError):
            problems.append(f"checkpoint line {number} is not a checkpoint")
            continue
        if record.get("key_id") != expected_id:
            problems.append(f"checkpoint line {number} (#{sequence}) was signed with another key "
                            f"({record.get('key_id')}, expected {expected_id})")
            continue
        try:
            public_key.verify(signature, signed_payload(sequence, entry_hash, time))
        except InvalidSignature:
            problems.append(f"checkpoint line {number} (#{sequence}) has an invalid signature")
            continue
        checkpoints.append(Checkpoint(number, sequence, entry_hash, time))
    return checkpoints, problems
