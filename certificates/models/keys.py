"""Ed25519 signing keys of the labels.

Keys rotate: a new key becomes current and signs new labels, the previous one is retired but
stays published, so every label keeps verifying with the key named in its signature.
The private key is kept encrypted in the database (Fernet, key derived from
LABEL_KEY_ENCRYPTION_SECRET) or outside it (PEM in the environment), never in clear text.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    class PrivateKeySource(models.TextChoices):
        DATABASE = "database", _("Encrypted in the database")
        ENVIRONMENT = "environment", _("From the environment (LABEL_SIGNING_PRIVATE_KEY)")

    key_id = models.CharField(_("key id"), max_length=40, unique=True)
    algorithm = models.CharField(_("algorithm"), max_length=20, default="Ed25519", editable=False)
    public_key = models.CharField(_("public key (raw, base64)"), max_length=64, unique=True)
    private_key_source = models.CharField(_("private key source"), max_length=12, choices=PrivateKeySource.choices)
    private_key_encrypted = models.TextField(_("private key (encrypted)"), blank=True, editable=False)
    is_current = models.BooleanField(_("current"), default=False, help_text=_("Signs new labels."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=models.Q(is_current=True),
                                    name="signing_key_one_current"),
        ]

    def __str__(self):
        return self.key_id
