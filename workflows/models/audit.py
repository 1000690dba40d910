"""The append-only, hash-chained audit trail of every workflow step.

Each entry records one step (an inventory transition, an engagement or finding moving on, an
opinion recorded, a sample drawn, a record corrected) and the SHA-256 of the entry before it,
so that changing, removing or reordering any entry breaks the chain
(`python manage.py verify_audit_log`). The chain head row holds the newest sequence number and
hash; appending locks it, so entries are written one at a time in one global order.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AuditEntity

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only.")


class TransitionLog(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    entity = models.CharField(_("entity"), max_length=20, choices=AuditEntity.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    inventory = models.ForeignKey("inventories.Inventory", models.PROTECT, related_name="transition_log",
                                  verbose_name=_("inventory"))
    name = models.CharField(_("step"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("actor"))
    actor_username = models.CharField(_("actor's user name"), max_length=150)
    comment = models.TextField(_("comment"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"))
    previous_hash = models.CharField(_("hash of the previous entry"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["inventory", "entity", "sequence"], name="workflows_log_inventory")]

    def __str__(self):
        return f"#{self.sequence} {self.entity}:{self.object_id} {self.name} {self.from_state}->{self.to_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("An audit entry is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("An audit entry is never deleted.")

    def canonical_payload(self) -> str:
        """The exact text that is hashed: every field but the hash itself, as sorted JSON."""
        return json.dumps(
            {
                "sequence": self.sequence,
                "entity": self.entity,
                "object_id": self.object_id,
                "inventory_id": self.inventory_id,
                "name": self.name,
                "from": self.from_state,
                "to": self.to_state,
                "actor_id": self.actor_id,
                "actor": self.actor_username,
                "comment": self.comment,
                "details": self.details,
                "created_at": self.created_at.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds"),
                "previous_hash": self.previous_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_payload().encode("utf-8")).hexdigest()


class AuditChainHead(models.Model):
    """One row: the newest entry's sequence number and hash. Locked by every append."""

    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

