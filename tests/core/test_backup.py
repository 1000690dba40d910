"""Backup and restore (docs/deployment.md): a backup restored into a fresh database gives a
portal whose labels still verify and whose audit chain still verifies. Runs on the database the
suite runs on (PostgreSQL in CI's first run, SQLite in the second)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from carbon_portal.core.backup import BackupError, backup, restore
from tests.certificates.factories import set_status

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def fresh_database(tmp_path):
    """The DATABASE_URL of a new, empty database of the suite's kind; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    database = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    yield f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*arguments, database_url, var_dir):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "carbon_portal.settings.test", "DATABASE_URL": database_url,
           "CARBON_PORTAL_VAR_DIR": str(var_dir)}
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restored_backup_keeps_labels_and_audit_chain_verifiable(demo, settings, tmp_path, fresh_database):
    from carbon_portal.accounts.models import User, VerifierBody
    from certificates.services import issue_inventory_labels
    from inventories.models import Inventory
    from inventories.services import create_inventory
    from workflows.models import TransitionLog
    from workflows.services import transition_inventory

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_KEY_FILE = tmp_path / "var" / "audit-checkpoint.key"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "var" / "audit-checkpoints.jsonl"
    inventory = set_status(Inventory.objects.order_by("pk").first(), "verified")
    labels = issue_inventory_labels(inventory=inventory, issued_by=User.objects.get(username="admin"),
                                    verifier_body=VerifierBody.objects.first())
    officer = User.objects.get(username="officer_a")
    opened = create_inventory(enterprise=inventory.enterprise, year=inventory.year - 1, created_by=officer)
    transition_inventory(inventory_id=opened.pk, name="open", actor=officer)
    assert labels and TransitionLog.objects.filter(inventory=opened).exists()

    manifest = backup(output=tmp_path / "backup")
    assert manifest["database"]["vendor"] == connection.vendor

    restored_var = tmp_path / "restored-var"
    completed = manage("restore", "--input", str(tmp_path / "backup"), "--json", database_url=fresh_database,
                       var_dir=restored_var)
    assert completed.returncode == 0, completed.stderr
    audit = manage("verify_audit_log", "--json", database_url=fresh_database, var_dir=restored_var)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    for label in labels:
        verified = manage("verify_label", label.identifier, "--json", database_url=fresh_database,
                          var_dir=restored_var)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert json.loads(verified.stdout)["valid"] is True

    again = manage("restore", "--input", str(tmp_path / "backup"), database_url=fresh_database, var_dir=restored_var)
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tampered_backup_is_refused_before_anything_changes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup(output=tmp_path / "backup")
    with open(tmp_path / "backup" / "media.tar.gz", "ab") as archive:
        archive.write(b"tampered")
    with pytest.raises(BackupError, match="media.tar.gz"):
        restore(source=tmp_path / "backup")


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--output", str(tmp_path / "backup"))
