"""The audit trail is append-only and hash-chained; `verify_audit_log` finds any tampering."""

import io
import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from workflows.models import AuditChainHead, TransitionLog
from workflows.models.audit import AppendOnlyError
from workflows.services import verify_audit_chain

from .support import advance, new_inventory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(demo):
    advance(new_inventory(), "verified", corrections=True)
    return TransitionLog.objects.order_by("sequence")


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit_log", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def tamper(sql, params):
    """What someone with database rights could do: switch the append-only trigger off and edit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Triggers off for this transaction only (needs a superuser, as the tests run).
            cursor.execute("SET LOCAL session_replication_role = replica")
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS workflows_transitionlog_append_only")
        cursor.execute(sql, params)


def test_every_entry_links_to_the_one_before(trail):
    entries = list(trail)
    assert len(entries) > 10
    assert [entry.sequence for entry in entries] == list(range(1, len(entries) + 1))
    for previous, entry in zip(entries, entries[1:]):
        assert entry.previous_hash == previous.entry_hash
        assert entry.entry_hash == entry.compute_hash()


def test_the_intact_chain_verifies(trail):
    out, _err = run_command()
    assert "intact" in out
    report = json.loads(run_command("--json")[0])
    assert report["ok"] is True and report["entries"] == trail.count()
    assert report["head_hash"] == trail.last().entry_hash


def test_a_changed_comment_is_detected(trail):
    entry = trail.get(name="accept", entity="inventory")
    tamper("UPDATE workflows_transitionlog SET comment = %s WHERE id = %s", ["I saw nothing", entry.pk])
    report = verify_audit_chain()
    assert not report.ok
    assert any(f"#{entry.sequence} was changed" in problem for problem in report.problems)
    with pytest.raises(CommandError, match=f"entry #{entry.sequence}"):
        run_command()


def test_a_changed_actor_or_state_is_detected_even_with_a_recomputed_hash(trail):
    entry = trail.get(name="verify", entity="inventory")
    forged = TransitionLog(**{field.attname: getattr(entry, field.attname) for field in TransitionLog._meta.fields})
    forged.to_state = "certified"
    tamper("UPDATE workflows_transitionlog SET to_state = %s, entry_hash = %s WHERE id = %s",
           ["certified", forged.compute_hash(), entry.pk])
    report = verify_audit_chain()
    assert not report.ok  # the next entry (or the head) no longer links to it
    assert any("does not follow" in problem or "chain head" in problem for problem in report.problems)


def test_a_removed_entry_is_detected(trail):
    entry = trail.get(name="submit_review", entity="inventory")
    tamper("DELETE FROM workflows_transitionlog WHERE id = %s", [entry.pk])
    report = verify_audit_chain()
    assert any("missing" in problem for problem in report.problems)


def test_the_newest_entry_removed_is_detected(trail):
    last = trail.last()
    tamper("DELETE FROM workflows_transitionlog WHERE id = %s", [last.pk])
    report = verify_audit_chain()
    assert any("chain head" in problem for problem in report.problems)


def test_entries_cannot_be_changed_through_the_orm(trail):
    entry = trail.first()
    entry.comment = "edited"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        TransitionLog.objects.filter(pk=entry.pk).update(comment="edited")


def test_the_database_refuses_an_update(trail):
    entry = trail.first()
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE workflows_transitionlog SET comment = 'x' WHERE id = %s", [entry.pk])


# --- Signed checkpoints: the chain head anchored outside the database ---------------------------

@pytest.fixture
def checkpoint_files(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY_FILE = tmp_path / "keys" / "audit-checkpoint.key"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_KEY_FILE, settings.AUDIT_CHECKPOINT_FILE


def checkpoint():
    out = io.StringIO()
    call_command("audit_checkpoint", "--json", stdout=out)
    return json.loads(out.getvalue())


def rewind(keep: int):
    """Remove the entries after #keep and set the chain head back to #keep: consistent, so the
    hash chain alone cannot tell."""
    kept = TransitionLog.objects.get(sequence=keep)
    tamper("DELETE FROM workflows_transitionlog WHERE sequence > %s", [keep])
    AuditChainHead.objects.filter(pk=1).update(sequence=kept.sequence, entry_hash=kept.entry_hash)


def test_a_checkpoint_is_signed_and_appended_outside_the_database(trail, checkpoint_files):
    key_file, checkpoint_file = checkpoint_files
    first = checkpoint()
    second = checkpoint()
    last = trail.last()
    assert (first["sequence"], first["entry_hash"]) == (last.sequence, last.entry_hash)
    assert first["algorithm"] == "Ed25519" and first["signature"]
    assert [json.loads(line) for line in checkpoint_file.read_text().splitlines()] == [first, second]
    assert key_file.stat().st_mode & 0o777 == 0o600
    report = json.loads(run_command("--json")[0])
    assert report["ok"] is True and report["checkpoints"] == 2 and report["latest_checkpoint"] == last.sequence


def test_removing_the_newest_entries_and_rewinding_the_head_is_detected_by_the_checkpoint(trail, checkpoint_files):
    checkpointed = trail.last().sequence
    checkpoint()
    rewind(checkpointed - 3)
    assert verify_audit_chain().problems == [problem for problem in verify_audit_chain().problems
                                             if "checkpoint" in problem]  # only the checkpoint sees it
    with pytest.raises(CommandError, match=f"anchors entry #{checkpointed}"):
        run_command()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit_log", "--json", stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    assert report["ok"] is False and len(report["problems"]) == 1
    assert "rewound" in report["problems"][0]


def test_without_a_checkpoint_the_rewind_goes_unnoticed(trail, checkpoint_files):
    """Why the checkpoints exist: the hash chain and its head alone accept a consistent rewind."""
    rewind(trail.last().sequence - 3)
    assert verify_audit_chain().ok


def test_a_rewritten_checkpointed_entry_is_detected(trail, checkpoint_files):
    checkpointed = trail.last()
    checkpoint()
    rewind(checkpointed.sequence - 1)
    # Someone appends a forged entry with the same sequence number: its hash differs.
    forged = TransitionLog(**{field.attname: getattr(checkpointed, field.attname)
                              for field in TransitionLog._meta.fields if field.attname != "id"})
    forged.comment = "forged"
    forged.entry_hash = forged.compute_hash()
    forged.save()
    AuditChainHead.objects.filter(pk=1).update(sequence=forged.sequence, entry_hash=forged.entry_hash)
    report = verify_audit_chain()
    assert [problem for problem in report.problems if "was rewritten" in problem]


def test_a_forged_or_foreign_checkpoint_is_detected(trail, checkpoint_files):
    _key_file, checkpoint_file = checkpoint_files
    checkpoint()
    record = json.loads(checkpoint_file.read_text())
    record["sequence"] -= 1  # moved back, the signature no longer covers it
    with checkpoint_file.open("a") as handle:
        handle.write(json.dumps(record) + "\n")
    report = verify_audit_chain()
    assert report.problems == [f"checkpoint line 2 (#{record['sequence']}) has an invalid signature"]


def test_checkpoints_without_their_key_cannot_be_trusted(trail, checkpoint_files):
    key_file, _checkpoint_file = checkpoint_files
    checkpoint()
    key_file.unlink()
    report = verify_audit_chain()
    assert not report.ok and "key" in report.problems[0]


def test_a_checkpoint_of_a_head_that_does_not_match_the_trail_is_refused(trail, checkpoint_files):
    _key_file, checkpoint_file = checkpoint_files
    tamper("DELETE FROM workflows_transitionlog WHERE id = %s", [trail.last().pk])
    with pytest.raises(CommandError, match="no checkpoint written"):
        checkpoint()
    assert not checkpoint_file.exists()


def test_the_checkpoint_task_writes_one(trail, checkpoint_files):
    from workflows.tasks import audit_checkpoint

    audit_checkpoint.delay()
    assert len(checkpoint_files[1].read_text().splitlines()) == 1


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="TRUNCATE triggers are PostgreSQL's (SQLite has no TRUNCATE); set DATABASE_URL")
def test_postgresql_refuses_truncate_of_the_trail_to_anyone_but_a_superuser(trail):
    role = f"truncate_probe_{os.getpid()}"
    with pytest.raises(Exception, match="cannot be truncated"):
        with transaction.atomic(), connection.cursor() as cursor:
            # Rolled back with the transaction: the role exists only for this statement.
            cursor.execute(f"CREATE ROLE {role} NOLOGIN")
            cursor.execute(f"GRANT TRUNCATE ON workflows_transitionlog TO {role}")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
            cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute("TRUNCATE workflows_transitionlog")
    assert TransitionLog.objects.count() == trail.count() > 0
