"""Writes of certification, each one transaction (HackSoft styleguide: keyword-only arguments)."""

from .documents import retry_document_rendering
from .footprint_inputs import add_upstream_input, remove_upstream_input, set_footprint_method
from .issuance import CertificationError, certification_problems, issue_inventory_labels
from .lifecycle import LabelTransitionError, resume_label, revoke_label, suspend_label

__all__ = [
    "CertificationError",
    "LabelTransitionError",
    "add_upstream_input",
    "certification_problems",
    "issue_inventory_labels",
    "remove_upstream_input",
    "resume_label",
    "retry_document_rendering",
    "revoke_label",
    "set_footprint_method",
    "suspend_label",
]
