"""The audit trail is append-only and hash-chained; `verify_audit_log` finds any tampering."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from workflows.models import TransitionLog
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
