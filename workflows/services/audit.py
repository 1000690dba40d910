"""Appending to and verifying the hash-chained audit trail."""

import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from ..models import AuditChainHead, TransitionLog
from ..models.audit import GENESIS_HASH


def append_entry(*, entity: str, object_id: int, inventory_id: int, name: str, actor, from_state: str = "",
                 to_state: str = "", comment: str = "", details: dict | None = None) -> TransitionLog:
    """Write the next entry of the chain. Call inside the transaction of the step it records:
    the entry exists exactly when the step committed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_entry must run inside the transaction of the step it records")
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = TransitionLog(
        sequence=head.sequence + 1,
        entity=entity,
        object_id=object_id,
        inventory_id=inventory_id,
        name=name,
        from_state=from_state or "",
        to_state=to_state or "",
        actor=actor,
        actor_username=actor.get_username(),
        comment=comment or "",
        # Stored exactly as it is hashed: plain JSON types only (Decimal -> string).
        details=json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder)),
        created_at=timezone.now(),
        previous_hash=head.entry_hash,
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    head.sequence, head.entry_hash = entry.sequence, entry.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return entry


@dataclass
class ChainReport:
    entries: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_audit_chain() -> ChainReport:
    """Recompute every hash in order. Detects a changed entry (its hash no longer matches its
    content), a removed or reordered one (a gap, or a previous hash that does not match) and a
    removed newest entry (the chain head remembers the last sequence and hash)."""
    report = ChainReport()
    previous_hash, expected = GENESIS_HASH, 1
    for entry in TransitionLog.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected:
            report.problems.append(f"entries #{expected}..#{entry.sequence - 1} are missing")
        if entry.previous_hash != previous_hash:
            report.problems.append(f"entry #{entry.sequence} does not follow the entry before it "
                                   "(its previous hash does not match)")
        if entry.compute_hash() != entry.entry_hash:
            report.problems.append(f"entry #{entry.sequence} was changed after it was written "
                                   "(its content does not match its hash)")
        previous_hash, expected = entry.entry_hash, entry.sequence + 1
        report.entries += 1
    report.head_hash = previous_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence, head.entry_hash) != (expected - 1, previous_hash):
        report.problems.append(f"the chain head records entry #{head.sequence} ({head.entry_hash[:12]}…), "
                               f"but the trail ends at #{expected - 1}: newest entries are missing or changed")
    return report
