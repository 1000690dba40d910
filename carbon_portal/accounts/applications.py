"""Joining the portal: an enterprise applies, an approver decides.

    submit_application (anyone, no account)  ->  pending
    pending -approve-> approved: the enterprise is created; the contact becomes its administrator
                                 and carbon officer and gets a one-time link to set a password
    pending -reject->  rejected: the contact is told why

Who decides is ENTERPRISE_APPROVAL_BY: "admin" (default), the platform administrators; "government",
also the government users whose authority's jurisdiction (regions and, where it names any,
industries) covers the enterprise. Every step is one transaction; the application's row is
locked, so a double click or two approvers at once decide once. The e-mails go through the
outbox (carbon_portal/core/outbox.py, topic MAIL_TOPIC) after the commit; the security log
records the application and each decision.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from carbon_portal.core import outbox
from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from carbon_portal.core.regions import is_known_region, region_name
from carbon_portal.core.text import clean_text
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind

from .apps import APPLICATION_MAIL_TOPIC
from .models import (
    PHONE_PATTERN,
    ApplicationStatus,
    Authority,
    Enterprise,
    EnterpriseApplication,
    Industry,
    Membership,
    Role,
    User,
)
from .uscc import uscc_error
from .validators import REGION_CODE

MAIL_TOPIC = APPLICATION_MAIL_TOPIC
APPROVAL_BY_ADMIN = "admin"
APPROVAL_BY_GOVERNMENT = "government"
# Roles that do not go with an enterprise's account: the contact's e-mail must not be one of theirs.
FOREIGN_ROLES = (Role.VERIFIER, Role.GOVERNMENT, Role.ADMIN)
USERNAME_MAX = 150


# --- Who decides ------------------------------------------------------------------------------


def _is_admin(user) -> bool:
    return bool(user.is_superuser or user.memberships.filter(role=Role.ADMIN).exists())


def _authorities_of(user) -> QuerySet[Authority]:
    return Authority.objects.filter(memberships__user=user, memberships__role=Role.GOVERNMENT).distinct()


def _jurisdiction(authority: Authority) -> Q:
    regions = Q(pk__in=[])
    for prefix in authority.region_prefixes():
        regions |= Q(region_code__startswith=prefix)
    industries = list(authority.industries.values_list("code", flat=True))
    return regions & Q(industry__in=industries) if industries else regions


def may_decide_applications(user) -> bool:
    """Whether the user decides any applications at all (the queue page)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if _is_admin(user):
        return True
    return settings.ENTERPRISE_APPROVAL_BY == APPROVAL_BY_GOVERNMENT and _authorities_of(user).exists()


def applications_for(user) -> QuerySet[EnterpriseApplication]:
    """The applications the user decides (and has decided): all for an administrator; those in
    their authority's jurisdiction for a government user when approvals are theirs; none else."""
    rows = EnterpriseApplication.objects.select_related("industry", "decided_by", "enterprise", "applicant")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if _is_admin(user):
        return rows
    if settings.ENTERPRISE_APPROVAL_BY != APPROVAL_BY_GOVERNMENT:
        return rows.none()
    within = Q(pk__in=[])
    for authority in _authorities_of(user).prefetch_related("industries"):
        within |= _jurisdiction(authority)
    return rows.filter(within)


def pending_applications_for(user) -> QuerySet[EnterpriseApplication]:
    return applications_for(user).filter(status=ApplicationStatus.PENDING)


def application_for(user, application_id) -> EnterpriseApplication:
    """One application the user decides; NotFound for any other (or no such one)."""
    if not may_decide_applications(user):
        raise PermissionDenied(_("Only the approvers of applications to join see them."))
    application = applications_for(user).filter(pk=_id(application_id)).first()
    if application is None:
        raise NotFound(_("No such application."))
    return application


def approvers_of(application: EnterpriseApplication) -> QuerySet[User]:
    """Who may decide `application` (whom the portal tells about a new one)."""
    admins = Q(is_superuser=True) | Q(memberships__role=Role.ADMIN)
    users = User.objects.filter(is_active=True)
    if settings.ENTERPRISE_APPROVAL_BY != APPROVAL_BY_GOVERNMENT:
        return users.filter(admins).distinct()
    authorities = [authority.pk for authority in Authority.objects.prefetch_related("industries")
                   if _covers(authority, application)]
    return users.filter(admins | Q(memberships__role=Role.GOVERNMENT,
                                   memberships__authority__in=authorities)).distinct()


def _covers(authority: Authority, application: EnterpriseApplication) -> bool:
    industries = {industry.code for industry in authority.industries.all()}
    return authority.covers_region(application.region_code) and (
        not industries or application.industry_id in industries)


# --- Applying ---------------------------------------------------------------------------------


def _id(value) -> int:
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else -1


def _text(label, value, *, max_length: int, required: bool = True, multiline: bool = False) -> str:
    return clean_text(None, label, value, max_length=max_length, required=required, multiline=multiline)


def normalise_credit_code(value) -> str:
    return value.strip().upper() if isinstance(value, str) else ""


def credit_code_refusal(code: str) -> str | None:
    """Why `code` cannot apply (a bad code, an enterprise that is registered or has an application
    waiting), or None."""
    error = uscc_error(code)
    if error:
        return _("Invalid unified social credit code: %(error)s") % {"error": error}
    if Enterprise.objects.filter(credit_code=code).exists():
        return _("An enterprise with this unified social credit code is already registered. Its administrator "
                 "can add you; ask them.")
    if EnterpriseApplication.objects.filter(credit_code=code, status=ApplicationStatus.PENDING).exists():
        return _("An application with this unified social credit code is already waiting for a decision.")
    return None


def _industry(value) -> Industry:
    if isinstance(value, Industry):
        return value
    industry = Industry.objects.filter(pk=value).first() if isinstance(value, str) and value else None
    if industry is None:
        raise InvalidInput(_("Industry: choose a GB/T 4754 division."))
    return industry


def _region(value) -> str:
    code = value.strip() if isinstance(value, str) else ""
    if not REGION_CODE.match(code) or not is_known_region(code):
        raise InvalidInput(_("Region: choose a region of GB/T 2260."))
    return code


def _email(value) -> str:
    email = _text(_("Contact e-mail"), value, max_length=254)
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Contact e-mail: enter a valid e-mail address.")) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _phone(value) -> str:
    phone = _text(_("Contact phone"), value, max_length=25)
    if not re.match(PHONE_PATTERN, phone):
        raise InvalidInput(_("Contact phone: enter a telephone number with the digits 0-9, e.g. 0571-88881234."))
    return phone


@transaction.atomic
def submit_application(*, name, credit_code, industry, region_code, address, contact_name, contact_email,
                       contact_phone, name_en="", request=None) -> EnterpriseApplication:
    """A new application, pending; the contact gets an acknowledgement and the approvers a notice."""
    code = normalise_credit_code(credit_code)
    refusal = credit_code_refusal(code)
    if refusal:
        raise InvalidInput(refusal, code="credit_code")
    application = EnterpriseApplication(
        name=_text(_("Enterprise name"), name, max_length=200),
        name_en=_text(_("English name"), name_en, max_length=200, required=False),
        credit_code=code,
        industry=_industry(industry),
        region_code=_region(region_code),
        address=_text(_("Address"), address, max_length=300),
        contact_name=_text(_("Contact name"), contact_name, max_length=150),
        contact_email=_email(contact_email),
        contact_phone=_phone(contact_phone),
    )
    try:
        application.full_clean(exclude=["status"])  # protected: only the transitions move it
    except ValidationError as error:
        raise InvalidInput("; ".join(error.messages)) from None
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # another application with this code came in at the same moment
        raise InvalidInput(_("An application with this unified social credit code is already waiting for a "
                             "decision."), code="credit_code") from None
    record_event(kind=EventKind.ENTERPRISE_APPLIED, request=request, application_id=application.pk,
                 credit_code=application.credit_code, enterprise=application.name,
                 region_code=application.region_code)
    _mail(application, "received")
    _mail(application, "to_approvers")
    return application


# --- Deciding ---------------------------------------------------------------------------------


def _locked_for_decision(actor, application_id) -> EnterpriseApplication:
    application = application_for(actor, application_id)
    application = EnterpriseApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise Conflict(_("This application has already been decided (%(status)s).")
                       % {"status": application.get_status_display()}, code="already_decided")
    return application


def _username_from(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.partition("@")[0].lower())[:USERNAME_MAX - 8] or "enterprise"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _applicant_account(application: EnterpriseApplication) -> tuple[User, bool]:
    """The contact's account: the one with this e-mail, or a new one without a password. True when
    it was created."""
    existing = list(User.objects.filter(email__iexact=application.contact_email).order_by("pk")[:2])
    if len(existing) > 1:
        raise Conflict(_("Several accounts have the contact's e-mail address; an administrator must sort that out "
                         "first."), code="email_ambiguous")
    if existing:
        user = existing[0]
        if not user.is_active:
            raise Conflict(_("The account with the contact's e-mail address is deactivated."), code="inactive")
        if user.is_superuser or user.memberships.filter(role__in=FOREIGN_ROLES).exists():
            raise Conflict(_("The contact's e-mail address belongs to an administrator, verifier or government "
                             "account; an enterprise needs an account of its own."), code="foreign_role")
        return user, False
    user = User(username=_username_from(application.contact_email), email=application.contact_email,
                display_name=application.contact_name[:150])
    user.set_unusable_password()
    user.save()
    return user, True


@transaction.atomic
def approve_application(*, actor, application_id, request=None) -> EnterpriseApplication:
    """Create the enterprise and make the contact its administrator and carbon officer."""
    application = _locked_for_decision(actor, application_id)
    if Enterprise.objects.filter(credit_code=application.credit_code).exists():
        raise Conflict(_("An enterprise with this unified social credit code is already registered; reject the "
                         "application."), code="credit_code_taken")
    enterprise = Enterprise(name=application.name, name_en=application.name_en, credit_code=application.credit_code,
                            industry=application.industry, region_code=application.region_code,
                            address=application.address)
    try:
        enterprise.full_clean()
    except ValidationError as error:
        raise Conflict("; ".join(error.messages), code="invalid_enterprise") from None
    enterprise.save()
    user, created = _applicant_account(application)
    # Memberships through the ORM: the receivers put the user in the enterprise's groups (workflows)
    # and record the roles granted (security), as for any membership.
    for role in (Role.ENTERPRISE_ADMIN, Role.OFFICER):
        Membership.objects.get_or_create(user=user, role=role, enterprise=enterprise)
    if not can_proceed(application.approve):
        raise Conflict(_("This application has already been decided."), code="already_decided")
    application.approve()
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.enterprise = enterprise
    application.applicant = user
    application.save()
    record_event(kind=EventKind.ENTERPRISE_APPROVED, request=request, user=actor, application_id=application.pk,
                 enterprise_id=enterprise.pk, credit_code=enterprise.credit_code, applicant_id=user.pk,
                 applicant_created=created)
    _mail(application, "approved")
    return application


@transaction.atomic
def reject_application(*, actor, application_id, reason, request=None) -> EnterpriseApplication:
    """Reject with a reason, which the contact is sent."""
    reason = _text(_("Reason"), reason, max_length=2000, multiline=True)
    application = _locked_for_decision(actor, application_id)
    if not can_proceed(application.reject):
        raise Conflict(_("This application has already been decided."), code="already_decided")
    application.reject()
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.rejection_reason = reason
    application.save()
    record_event(kind=EventKind.ENTERPRISE_REJECTED, request=request, user=actor, application_id=application.pk,
                 credit_code=application.credit_code)
    _mail(application, "rejected")
    return application


# --- E-mails (after the commit, through the outbox) ---------------------------------------------


def _mail(application: EnterpriseApplication, kind: str) -> None:
    outbox.enqueue(MAIL_TOPIC, {"application_id": application.pk, "kind": kind,
                                "language": translation.get_language() or settings.LANGUAGE_CODE},
                   deliver_now=True)


def set_password_url(user: User) -> str:
    """A one-time link to set the password (Django's reset token: it stops working once the password
    is set, and after PASSWORD_RESET_TIMEOUT)."""
    path = reverse("accounts:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _describe(application: EnterpriseApplication) -> str:
    lines = [
        f"{_('Enterprise name')}: {application.name}" + (f" ({application.name_en})" if application.name_en else ""),
        f"{_('Unified social credit code')}: {application.credit_code}",
        f"{_('Industry')}: {application.industry}",
        f"{_('Region')}: {region_name(application.region_code) or application.region_code}",
        f"{_('Address')}: {application.address}",
        f"{_('Contact')}: {application.contact_name}, {application.contact_email}, {application.contact_phone}",
    ]
    return "\n".join(lines)


def deliver_mail(payload: dict) -> None:
    """Outbox handler of MAIL_TOPIC: one e-mail about an application."""
    application = EnterpriseApplication.objects.select_related("industry", "enterprise", "applicant").filter(
        pk=payload["application_id"]).first()
    if application is None:
        return
    with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
        kind = payload["kind"]
        if kind == "to_approvers":
            recipients = [email for email in approvers_of(application).values_list("email", flat=True) if email]
            if not recipients:
                return
            link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("joining:detail", args=[application.pk])
            subject = _("Carbon Portal: %(name)s applies to join") % {"name": application.name}
            body = "\n\n".join([_("An enterprise applies to join the Carbon Portal:"), _describe(application),
                                _("Approve or reject it here: %(link)s") % {"link": link}])
        else:
            recipients = [application.contact_email]
            subject, body = _contact_mail(application, kind)
        send_mail(subject[:200], body, None, recipients)


def _contact_mail(application: EnterpriseApplication, kind: str) -> tuple[str, str]:
    name = {"name": application.name}
    if kind == "received":
        return (_("Carbon Portal: your application for %(name)s was received") % name,
                "\n\n".join([_("Thank you. We received the application of %(name)s to join the Carbon Portal:") % name,
                             _describe(application),
                             _("An approver checks it; you receive an e-mail with the decision. If it is approved, "
                               "that e-mail has a link to set the password of your account.")]))
    if kind == "rejected":
        return (_("Carbon Portal: the application of %(name)s was not approved") % name,
                "\n\n".join([_("The application of %(name)s to join the Carbon Portal was not approved.") % name,
                             _("Reason: %(reason)s") % {"reason": application.rejection_reason},
                             _("You may apply again once the reason is resolved.")]))
    user = application.applicant
    login = settings.PORTAL_BASE_URL.rstrip("/") + reverse("accounts:login")
    parts = [_("The application of %(name)s to join the Carbon Portal is approved. You are the enterprise's "
               "administrator and carbon officer.") % name,
             _("Your user name: %(username)s") % {"username": user.get_username()}]
    if user.has_usable_password():
        parts.append(_("Log in with your existing password: %(link)s") % {"link": login})
    else:
        parts.append(_("Set your password with this link (it works once and for a limited time): %(link)s")
                     % {"link": set_password_url(user)})
        parts.append(_("Then log in here: %(link)s") % {"link": login})
    return _("Carbon Portal: %(name)s is approved") % name, "\n\n".join(parts)
