"""Writes of the workflow, each one transaction (HackSoft style: keyword-only arguments).

Every function checks that the actor may see the object (else NotFound), may do the step
(else PermissionDenied) and that the step is possible now (else Conflict), and
validates its input (else InvalidInput); on any of these nothing is changed.
"""

from .audit import ChainReport, append_entry, verify_audit_chain, write_audit_checkpoint
from .engagements import check_sampled_record, choose_verifier_body, record_opinion, sample_activity_records
from .findings import close_finding, raise_finding, reopen_finding, respond_to_finding
from .notices import mark_all_notifications_read, mark_notification_read
from .transitions import transition_inventory

__all__ = [
    "ChainReport",
    "append_entry",
    "check_sampled_record",
    "choose_verifier_body",
    "close_finding",
    "mark_all_notifications_read",
    "mark_notification_read",
    "raise_finding",
    "record_opinion",
    "reopen_finding",
    "respond_to_finding",
    "sample_activity_records",
    "transition_inventory",
    "verify_audit_chain",
    "write_audit_checkpoint",
]
