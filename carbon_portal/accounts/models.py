"""Organisations (enterprises, verifier bodies, authorities), people and their roles."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from .validators import (
    validate_code_list,
    validate_industry_code,
    validate_region_code,
    validate_uscc,
)


class Role(models.TextChoices):
    OFFICER = "officer", _("Enterprise carbon officer")
    REVIEWER = "reviewer", _("Enterprise reviewer")
    ENTERPRISE_ADMIN = "enterprise_admin", _("Enterprise administrator")
    VERIFIER = "verifier", _("Third-party verifier")
    GOVERNMENT = "government", _("Government user")
    ADMIN = "admin", _("Platform administrator")


ENTERPRISE_ROLES = {Role.OFFICER, Role.REVIEWER, Role.ENTERPRISE_ADMIN}
MFA_ROLES = {Role.VERIFIER, Role.GOVERNMENT, Role.ADMIN}


class User(AbstractUser):
    """The portal's user; roles come from memberships, not from Django groups."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    @property
    def roles(self) -> set[str]:
        return {membership.role for membership in self.memberships.all()}

    @property
    def requires_mfa(self) -> bool:
        """Administrators, verifiers and government users always; everyone when
        MFA_REQUIRED_FOR_ALL_ROLES is on; the members of an enterprise that requires it."""
        if self.is_superuser or settings.MFA_REQUIRED_FOR_ALL_ROLES:
            return True
        if self.pk is None:
            return False
        return self.memberships.filter(Q(role__in=MFA_ROLES) | Q(enterprise__mfa_required=True)).exists()


class Industry(models.Model):
    """A division of GB/T 4754-2017 (e.g. C30, non-metallic mineral products)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True, validators=[validate_industry_code])
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return f"{self.code} {self.name_zh}"


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    industry = models.ForeignKey(Industry, models.PROTECT, related_name="enterprises", verbose_name=_("industry"))
    region_code = models.CharField(_("region code"), max_length=6, validators=[validate_region_code])
    address = models.CharField(_("address"), max_length=300, blank=True)
    mfa_required = models.BooleanField(
        _("second factor required for every member"), default=False,
        help_text=_("Officers and reviewers of this enterprise log in with a one-time password too."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name


class VerifierBody(models.Model):
    """An accredited third-party verification body (核查机构)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    accreditation_number = models.CharField(_("accreditation number"), max_length=50, unique=True)
    scope = models.ManyToManyField(Industry, related_name="verifier_bodies", verbose_name=_("accredited scope"))
    accredited_from = models.DateField(_("accredited from"))
    accredited_until = models.DateField(_("accredited until"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("verifier body")
        verbose_name_plural = _("verifier bodies")

    def __str__(self):
        return self.name

    def clean(self):
        if self.accredited_until and self.accredited_from and self.accredited_until < self.accredited_from:
            raise ValidationError({"accredited_until": _("The accreditation ends before it starts.")})

    def is_accredited_for(self, industry: Industry, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.accredited_from <= on <= self.accredited_until and self.scope.filter(pk=industry.pk).exists()


class Authority(models.Model):
    """A competent authority (主管部门); its jurisdiction is a set of regions and industries."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    region_codes = models.JSONField(
        _("region codes"),
        default=list,
        help_text=_("GB/T 2260 codes; a code ending in zeros covers its subdivisions (330000 = all Zhejiang)."),
    )
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="authorities", verbose_name=_("industries"),
        help_text=_("Empty means every industry."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")

    def __str__(self):
        return self.name

    def clean(self):
        validate_code_list(self.region_codes, validate_region_code)

    def region_prefixes(self) -> list[str]:
        """330000 -> '33', 330100 -> '3301', 330106 -> '330106'."""
        prefixes = []
        for code in self.region_codes:
            prefix = code
            for _step in range(2):
                if prefix.endswith("00"):
                    prefix = prefix[:-2]
            prefixes.append(prefix)
        return prefixes

    def covers_region(self, region_code: str) -> bool:
        return any(region_code.startswith(prefix) for prefix in self.region_prefixes())


class Membership(models.Model):
    """A user's role in one organisation (administrators belong to none)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    enterprise = models.ForeignKey(
        Enterprise, models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("enterprise")
    )
    verifier_body = models.ForeignKey(
        VerifierBody, models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("verifier body"),
    )
    authority = models.ForeignKey(
        Authority, models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("authority")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_organisation_matches_role",
                condition=(
                    Q(role__in=["officer", "reviewer", "enterprise_admin"], enterprise__isnull=False, verifier_body__isnull=True,
                      authority__isnull=True)
                    | Q(role="verifier", enterprise__isnull=True, verifier_body__isnull=False, authority__isnull=True)
                    | Q(role="government", enterprise__isnull=True, verifier_body__isnull=True,
                        authority__isnull=False)
                    | Q(role="admin", enterprise__isnull=True, verifier_body__isnull=True, authority__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "enterprise", "verifier_body", "authority"],
                name="membership_unique", nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation or '-'}"

    @property
    def organisation(self):
        return self.enterprise or self.verifier_body or self.authority


class EnrolmentCode(models.Model):
    """An out-of-band code that lets a user set up an authenticator once (carbon_portal/accounts/mfa.py).
    Only its SHA-256 is kept; it is single-use and expires."""

    user = models.ForeignKey(User, models.CASCADE, related_name="enrolment_codes", verbose_name=_("user"))
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


# --- Joining: an enterprise applies, an approver decides (carbon_portal/accounts/applications.py) ---


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{4,24}$"
validate_phone = RegexValidator(PHONE_PATTERN, _("Enter a telephone number with the digits 0-9, e.g. 0571-88881234."))


class EnterpriseApplication(FSMModelMixin, models.Model):
    """An enterprise's application to join the portal: pending -> approved | rejected. The
    approval creates the enterprise and makes the contact its administrator and carbon officer."""

    name = models.CharField(_("enterprise name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, validators=[validate_uscc])
    industry = models.ForeignKey(Industry, models.PROTECT, related_name="+", verbose_name=_("industry"))
    region_code = models.CharField(_("region code"), max_length=6, validators=[validate_region_code])
    address = models.CharField(_("address"), max_length=300)
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"), max_length=254)
    contact_phone = models.CharField(_("contact phone"), max_length=25, validators=[validate_phone])
    status = FSMField(_("status"), max_length=20, choices=ApplicationStatus.choices,
                      default=ApplicationStatus.PENDING, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    enterprise = models.ForeignKey(Enterprise, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("enterprise created"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("applicant's account"))

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("enterprise application")
        verbose_name_plural = _("enterprise applications")
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=Q(status="pending"),
                                    name="enterprise_application_one_pending_per_code"),
        ]

    def __str__(self):
        return f"{self.name} ({self.credit_code}) · {self.get_status_display()}"

    @transition(field="status", source=ApplicationStatus.PENDING, target=ApplicationStatus.APPROVED)
    def approve(self):
        """Only moves the state: call `applications.approve_application`."""

    @transition(field="status", source=ApplicationStatus.PENDING, target=ApplicationStatus.REJECTED)
    def reject(self):
        """Only moves the state: call `applications.reject_application`."""


def invitation_expiry():
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation with a role (carbon_portal/accounts/invitations.py).
    Only the SHA-256 of its token is kept: the token itself is only in the e-mailed link. For a role
    that needs a second factor, the inviter is shown an enrolment code once (only its hash is kept
    here) to hand over by another channel; accepting turns it into the person's `EnrolmentCode`."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    enterprise = models.ForeignKey(
        Enterprise, models.CASCADE, null=True, blank=True, related_name="invitations", verbose_name=_("enterprise")
    )
    verifier_body = models.ForeignKey(
        VerifierBody, models.CASCADE, null=True, blank=True, related_name="invitations",
        verbose_name=_("verifier body"),
    )
    authority = models.ForeignKey(
        Authority, models.CASCADE, null=True, blank=True, related_name="invitations", verbose_name=_("authority")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    enrolment_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    invited_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("accepted by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                name="invitation_organisation_matches_role",
                condition=(
                    Q(role__in=["officer", "reviewer", "enterprise_admin"], enterprise__isnull=False,
                      verifier_body__isnull=True, authority__isnull=True)
                    | Q(role="verifier", enterprise__isnull=True, verifier_body__isnull=False, authority__isnull=True)
                    | Q(role="government", enterprise__isnull=True, verifier_body__isnull=True,
                        authority__isnull=False)
                ),
            ),
            # One open invitation per e-mail address and organisation (addresses are kept in lower case).
            models.UniqueConstraint(fields=["email", "enterprise"], name="invitation_open_enterprise",
                                    condition=Q(enterprise__isnull=False, accepted_at__isnull=True,
                                                revoked_at__isnull=True)),
            models.UniqueConstraint(fields=["email", "verifier_body"], name="invitation_open_verifier_body",
                                    condition=Q(verifier_body__isnull=False, accepted_at__isnull=True,
                                                revoked_at__isnull=True)),
            models.UniqueConstraint(fields=["email", "authority"], name="invitation_open_authority",
                                    condition=Q(authority__isnull=False, accepted_at__isnull=True,
                                                revoked_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.email} · {self.get_role_display()} · {self.organisation}"

    @property
    def organisation(self):
        return self.enterprise or self.verifier_body or self.authority

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
