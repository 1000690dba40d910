"""Backup and restore of everything a portal needs to come back as it was: the database, the
media files (evidence, documents) and the key files kept outside the database (the audit
checkpoints and their key, a label-signing key given as a file). Secrets given in the
environment (DJANGO_SECRET_KEY, LABEL_KEY_ENCRYPTION_SECRET, EVIDENCE_ENCRYPTION_KEY) are not
in a backup: keep them in the secret store; without them the encrypted keys and evidence of a
backup cannot be read (docs/deployment.md, "Backup and restore").

A backup is a folder: `manifest.json` (what is in it, with the SHA-256 of each file),
`database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, the online
backup API), `media.tar.gz` and `files/`. Restore checks every hash before it changes anything,
and only restores into an empty database.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FORMAT = 1
# Files outside the database that a restored portal needs, by the setting that names them.
KEPT_FILES = ("AUDIT_CHECKPOINT_KEY_FILE", "AUDIT_CHECKPOINT_FILE", "LABEL_SIGNING_PRIVATE_KEY_FILE")


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


def backup(*, output: Path) -> dict:
    """Write a backup of this portal into the folder `output` (created; must be empty)."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty")
    if connection.in_atomic_block:  # a copy taken inside a transaction would wait for it for ever (SQLite)
        raise BackupError("run the backup outside a transaction")
    (output / "files").mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    database = output / ("database.dump" if vendor == "postgresql" else "database.sqlite3")
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(database)],
             env=_pg_environment())
    elif vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(database) as target:
            connection.connection.backup(target)
        target.close()
    else:
        raise BackupError(f"no backup method for the {vendor} database")
    with tarfile.open(output / "media.tar.gz", "w:gz") as archive:
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            archive.add(media, arcname="media")
    kept = {}
    for name in KEPT_FILES:
        path = Path(getattr(settings, name) or "")
        if str(path) not in ("", ".") and path.is_file():
            shutil.copy2(path, output / "files" / name)
            kept[name] = f"files/{name}"
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": vendor, "file": database.name},
        "media": "media.tar.gz",
        "files": kept,
        "sha256": {str(path.relative_to(output)): _sha256(path)
                   for path in sorted(output.rglob("*")) if path.is_file()},
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def restore(*, source: Path) -> dict:
    """Restore the backup in `source` into this portal's (empty) database, media folder and key
    file paths. Nothing is changed unless every file matches its recorded hash."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} has no readable {MANIFEST}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, digest in manifest["sha256"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{name} is missing or does not match its SHA-256 in the manifest")
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"the backup is of a {vendor} database; this portal uses {connection.vendor}")
    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore only into a new, empty database")
    for name, relative in manifest["files"].items():
        target = Path(getattr(settings, name) or "")
        if str(target) in ("", "."):
            raise BackupError(f"the backup has {name} but this portal does not set {name}")
        if target.exists() and _sha256(target) != _sha256(source / relative):
            raise BackupError(f"{target} exists with other content; move it away first")
    database = source / manifest["database"]["file"]
    if vendor == "postgresql":
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--dbname", connection.settings_dict["NAME"], str(database)], env=_pg_environment())
    else:
        connection.ensure_connection()
        with sqlite3.connect(database) as backup_copy:
            backup_copy.backup(connection.connection)
        backup_copy.close()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source / manifest["media"], "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.name.startswith("media")]
        for member in members:
            member.name = member.name.removeprefix("media").lstrip("/")
        media_root.mkdir(parents=True, exist_ok=True)
        archive.extractall(media_root, members=[member for member in members if member.name], filter="data")
    for name, relative in manifest["files"].items():
        target = Path(getattr(settings, name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, target)
        os.chmod(target, 0o600)
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_environment() -> dict:
    database = connection.settings_dict
    environment = dict(os.environ, PGDATABASE=database["NAME"], PGUSER=database.get("USER") or "",
                       PGHOST=database.get("HOST") or "", PGPORT=str(database.get("PORT") or ""))
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return environment


def _run(command: list[str], *, env: dict) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client)") from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()[-500:]}") from None
