"""Appending to and verifying the hash-chained audit trail."""

import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .. import checkpoints
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
    checkpoints: int = 0
    latest_checkpoint: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_audit_chain() -> ChainReport:
    """Recompute every hash in order. Detects a changed entry (its hash no longer matches its
    content), a removed or reordered one (a gap, or a previous hash that does not match) and a
    removed newest entry (the chain head remembers the last sequence and hash), and, through the
    signed checkpoints kept outside the database, the newest entries removed together with a
    rewound chain head: every checkpoint's signature must hold, and the trail must still hold
    each checkpointed entry with its hash."""
    report = ChainReport()
    # Read before the trail, so that every checkpoint names an entry the trail's read can see.
    signed, report.problems = checkpoints.read_checkpoints()
    wanted = {checkpoint.sequence: checkpoint for checkpoint in signed}
    found = {0: GENESIS_HASH}
    previous_hash, expected = GENESIS_HASH, 1
    for entry in TransitionLog.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence in wanted:
            found[entry.sequence] = entry.entry_hash
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
    for checkpoint in signed:
        if checkpoint.sequence not in found:
            report.problems.append(
                f"checkpoint of {checkpoint.time} (line {checkpoint.line}) anchors entry #{checkpoint.sequence}, "
                f"but the trail ends at #{expected - 1}: entries were removed and the chain head rewound")
        elif found[checkpoint.sequence] != checkpoint.entry_hash:
            report.problems.append(
                f"checkpoint of {checkpoint.time} (line {checkpoint.line}) anchors entry #{checkpoint.sequence} "
                f"with hash {checkpoint.entry_hash[:12]}…, but the trail's entry #{checkpoint.sequence} has "
                f"{found[checkpoint.sequence][:12]}…: the trail was rewritten")
    report.checkpoints = len(signed)
    report.latest_checkpoint = max((checkpoint.sequence for checkpoint in signed), default=None)
    return report


def write_audit_checkpoint() -> dict:
    """Sign the chain head (newest sequence and hash) and append it to the checkpoint file.

    The head row is locked meanwhile, so no entry is appended in between, and the head must name
    the trail's newest entry; a head that does not is refused (RuntimeError), never anchored."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        sequence, entry_hash = (head.sequence, head.entry_hash) if head else (0, GENESIS_HASH)
        newest = TransitionLog.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
        if (newest or (0, GENESIS_HASH)) != (sequence, entry_hash):
            raise RuntimeError(f"the chain head records entry #{sequence}, but the trail's newest entry is "
                               f"#{newest[0] if newest else 0}: run verify_audit_log; no checkpoint written")
        return checkpoints.append_checkpoint(sequence=sequence, entry_hash=entry_hash)
