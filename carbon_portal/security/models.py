"""The security event log: who signed in (or tried), was refused, took a token, downloaded
evidence or a document, or changed people and roles; from where, and when.

Kept apart from the workflow's audit trail: events are many and are purged after
`SECURITY_LOG_RETENTION_DAYS` (`python manage.py purge_security_log`); PostgreSQL refuses
TRUNCATE of the table (migration 0002)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOGIN = "login", _("Sign-in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKOUT = "lockout", _("Sign-in locked out")
    MFA_FAILED = "mfa_failed", _("Failed second factor")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    EVIDENCE_DOWNLOADED = "evidence_downloaded", _("Evidence downloaded")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded")
    USER_CREATED = "user_created", _("User created")
    USER_CHANGED = "user_changed", _("User changed")
    USER_DELETED = "user_deleted", _("User deleted")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_CHANGED = "role_changed", _("Role changed")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    GROUPS_CHANGED = "groups_changed", _("Groups changed")
    PERMISSIONS_CHANGED = "permissions_changed", _("Permissions changed")
    LOG_PURGED = "log_purged", _("Security log purged")
    ENTERPRISE_APPLIED = "enterprise_applied", _("Enterprise applied to join")
    ENTERPRISE_APPROVED = "enterprise_approved", _("Enterprise application approved")
    ENTERPRISE_REJECTED = "enterprise_rejected", _("Enterprise application rejected")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    USER_DEACTIVATED = "user_deactivated", _("User deactivated")
    USER_REACTIVATED = "user_reactivated", _("User reactivated")
    ORGANISATION_CHANGED = "organisation_changed", _("Verifier body or authority registered or changed")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class SecurityEvent(models.Model):
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("user"),
                             help_text=_("Who acted or, for a sign-in, whose account it was."))
    username = models.CharField(_("user name as typed"), max_length=150, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True, db_index=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        indexes = [models.Index(fields=["user", "created_at"], name="security_event_user")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.kind} {self.outcome} {self.username}"
