"""Invitations to join an organisation with a role (docs/user-guide.md "People").

An enterprise administrator invites officers, reviewers and other enterprise administrators of
their enterprise; a platform administrator invites anyone, verifiers of a verifier body and
government users of an authority included. The invitation is e-mailed as a link with a random
token; only the token's SHA-256 is stored. Accepting it (`accept_as_new_user`,
`accept_as_existing_user`) gives the membership; it works once, until it expires
(INVITATION_VALID_DAYS) or is revoked. Resending makes a new token (the old link stops working).

Roles that need a second factor (verifier, government; any role of an enterprise that requires
it, or every role with MFA_REQUIRED_FOR_ALL_ROLES): inviting also issues an enrolment code,
shown once to the inviter to hand over by another channel (never e-mailed with the link). On
accepting it becomes the person's `EnrolmentCode`, and the person sets up the authenticator
through the log-in's usual enrolment step (carbon_portal/accounts/views.py).

Every write here runs in one transaction, is recorded in the security log and refuses with
`carbon_portal.core.errors`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from carbon_portal.core.text import clean_text
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind

from . import mfa
from .models import (
    MFA_ROLES,
    Authority,
    EnrolmentCode,
    Enterprise,
    Invitation,
    Membership,
    Role,
    User,
    VerifierBody,
)

TOKEN_BYTES = 32
INVITABLE_ROLES = (Role.OFFICER, Role.REVIEWER, Role.ENTERPRISE_ADMIN, Role.VERIFIER, Role.GOVERNMENT)
ENTERPRISE_INVITABLE_ROLES = (Role.OFFICER, Role.REVIEWER, Role.ENTERPRISE_ADMIN)

# The security log has no kinds of its own for invitations yet: these writes are recorded under the
# nearest existing kind, with `action` in the details saying exactly what happened.
EVENT_KINDS = {
    "invitation_sent": EventKind.INVITATION_SENT,
    "invitation_resent": EventKind.INVITATION_SENT,
    "invitation_revoked": EventKind.INVITATION_REVOKED,
    "invitation_accepted": EventKind.INVITATION_ACCEPTED,
}


# --- Who may ---------------------------------------------------------------------------------------


def is_platform_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.memberships.filter(role=Role.ADMIN).exists()


def enterprises_administered_by(user) -> QuerySet[Enterprise]:
    """The enterprises whose people `user` manages as their enterprise administrator."""
    if not getattr(user, "is_authenticated", False):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user, memberships__role=Role.ENTERPRISE_ADMIN).distinct()


def may_manage(user, organisation) -> bool:
    """Platform administrators manage every organisation's people; an enterprise administrator
    those of their enterprise."""
    if organisation is None:
        return False
    if is_platform_admin(user):
        return True
    return isinstance(organisation, Enterprise) and enterprises_administered_by(user).filter(
        pk=organisation.pk).exists()


def organisation_fields(organisation) -> dict:
    """{"enterprise": ..., "verifier_body": None, "authority": None} for a membership or invitation."""
    return {"enterprise": organisation if isinstance(organisation, Enterprise) else None,
            "verifier_body": organisation if isinstance(organisation, VerifierBody) else None,
            "authority": organisation if isinstance(organisation, Authority) else None}


def roles_for(organisation) -> tuple[str, ...]:
    if isinstance(organisation, Enterprise):
        return ENTERPRISE_INVITABLE_ROLES
    if isinstance(organisation, VerifierBody):
        return (Role.VERIFIER,)
    if isinstance(organisation, Authority):
        return (Role.GOVERNMENT,)
    return ()


def needs_second_factor(role: str, organisation) -> bool:
    """Whether a member with this role in this organisation logs in with a second factor
    (the rule of `User.requires_mfa`)."""
    return (role in MFA_ROLES or settings.MFA_REQUIRED_FOR_ALL_ROLES
            or (isinstance(organisation, Enterprise) and organisation.mfa_required))


# --- Reads -----------------------------------------------------------------------------------------


def invitations_of(organisation, *, open_only: bool = True) -> QuerySet[Invitation]:
    rows = Invitation.objects.filter(**{_organisation_field(organisation): organisation}).select_related("invited_by")
    if open_only:
        rows = rows.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return rows.order_by("-sent_at", "-id")


def invitation_for(user, invitation_id) -> Invitation:
    """An invitation of an organisation whose people `user` manages (else NotFound)."""
    invitation = Invitation.objects.select_related("enterprise", "verifier_body", "authority").filter(
        pk=_id(invitation_id)).first()
    if invitation is None or not may_manage(user, invitation.organisation):
        raise NotFound(_("No such invitation."))
    return invitation


def hash_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation of a link's token, whatever its state (None for an unknown token)."""
    if not isinstance(token, str) or not token or len(token) > 200 or not token.isascii():
        return None
    return Invitation.objects.select_related("enterprise", "verifier_body", "authority", "invited_by").filter(
        token_hash=hash_token(token)).first()


def usable(invitation: Invitation | None) -> str:
    """"" for an invitation that can be accepted now; else why not: unknown, used, revoked, expired."""
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.is_expired:
        return "expired"
    return ""


def existing_account(invitation: Invitation) -> User | None:
    """The account that already has the invitation's e-mail address (the first one, if several)."""
    return User.objects.filter(email__iexact=invitation.email).order_by("pk").first()


# --- Writes: invite, resend, revoke -----------------------------------------------------------------


def invite(*, actor, email: str, role: str, organisation) -> tuple[Invitation, str | None]:
    """Invite `email` to `organisation` with `role` and e-mail the link. Returns the invitation and,
    for a role with a second factor, the enrolment code to hand over by another channel (shown
    once, never stored)."""
    if organisation is None or not may_manage(actor, organisation):
        raise PermissionDenied(_("You may not invite people to this organisation."))
    email = _email(email)
    if role not in roles_for(organisation):
        raise InvalidInput(_("Role: choose one of the roles of this organisation."))
    fields = organisation_fields(organisation)
    if Membership.objects.filter(user__email__iexact=email, role=role, **fields).exists():
        raise Conflict(_("%(email)s is already a member with this role.") % {"email": email})
    now = timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    code = _new_enrolment_code() if needs_second_factor(role, organisation) else None
    with transaction.atomic():
        earlier = Invitation.objects.select_for_update().filter(
            email=email, accepted_at__isnull=True, revoked_at__isnull=True, **fields).first()
        if earlier is not None:
            if not earlier.is_expired:
                raise Conflict(_("%(email)s already has an open invitation to this organisation: resend or revoke "
                                 "it.") % {"email": email})
            earlier.revoked_at = now  # an expired one makes way for the new one
            earlier.save(update_fields=["revoked_at"])
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    email=email, role=role, token_hash=hash_token(token), invited_by=actor, sent_at=now,
                    enrolment_code_hash=mfa._hash(code) if code else "",
                    expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS), **fields)
        except IntegrityError:  # sent at the same moment by someone else
            raise Conflict(_("%(email)s already has an open invitation to this organisation: resend or revoke "
                             "it.") % {"email": email}) from None
        _record("invitation_sent", actor=actor, invitation=invitation)
        _send(invitation, token)
    return invitation, code


def resend(*, actor, invitation_id) -> tuple[Invitation, str | None]:
    """A new link (the old one stops working) and a new validity period; for a role with a second
    factor, a new enrolment code too (returned, shown once)."""
    now = timezone.now()
    with transaction.atomic():
        invitation = _open_for_update(actor, invitation_id)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        code = _new_enrolment_code() if invitation.enrolment_code_hash else None
        invitation.token_hash = hash_token(token)
        if code:
            invitation.enrolment_code_hash = mfa._hash(code)
        invitation.sent_at = now
        invitation.expires_at = now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
        invitation.save(update_fields=["token_hash", "enrolment_code_hash", "sent_at", "expires_at"])
        _record("invitation_resent", actor=actor, invitation=invitation)
        _send(invitation, token)
    return invitation, code


def revoke(*, actor, invitation_id) -> Invitation:
    with transaction.atomic():
        invitation = _open_for_update(actor, invitation_id)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _record("invitation_revoked", actor=actor, invitation=invitation)
    return invitation


def _open_for_update(actor, invitation_id) -> Invitation:
    invitation_for(actor, invitation_id)  # NotFound for another organisation's
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
        "enterprise", "verifier_body", "authority").get(pk=_id(invitation_id))
    if not invitation.is_open:
        raise Conflict(_("This invitation was already accepted or revoked."))
    return invitation


# --- Writes: accepting ----------------------------------------------------------------------------


def accept_as_new_user(*, token: str, username: str, display_name: str, password: str) -> User:
    """A new account for the invitation's e-mail address, with the membership."""
    username = _text(_("User name"), username, max_length=150)
    display_name = _text(_("Display name"), display_name, max_length=150, required=False)
    if not isinstance(password, str) or not password:
        raise InvalidInput(_("Password: enter a password."))
    with transaction.atomic():
        invitation = _usable_for_update(token)
        if existing_account(invitation) is not None:
            raise Conflict(_("An account with this e-mail address exists already: log in to accept the invitation."))
        try:
            User.username_validator(username)
        except ValidationError as error:
            raise InvalidInput(_("User name: %(error)s") % {"error": " ".join(error.messages)}) from None
        if User.objects.filter(username__iexact=username).exists():
            raise InvalidInput(_("User name: this user name is taken; choose another."))
        user = User(username=username, display_name=display_name, email=invitation.email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput(_("Password: %(error)s") % {"error": " ".join(error.messages)}) from None
        user.set_password(password)
        user.save()
        _join(invitation, user)
    return user


def accept_as_existing_user(*, token: str, user) -> Membership:
    """The logged-in `user`, whose e-mail address is the invitation's, joins the organisation."""
    with transaction.atomic():
        invitation = _usable_for_update(token)
        if not getattr(user, "is_authenticated", False) or (user.email or "").lower() != invitation.email:
            raise PermissionDenied(_("This invitation is for %(email)s: log in with that account to accept it.")
                                   % {"email": invitation.email})
        return _join(invitation, user)


def _usable_for_update(token: str) -> Invitation:
    found = invitation_by_token(token)
    if usable(found):
        raise NotFound(_("This invitation link is not valid."))
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
        "enterprise", "verifier_body", "authority").get(pk=found.pk)
    if usable(invitation):
        raise NotFound(_("This invitation link is not valid."))
    return invitation


def _join(invitation: Invitation, user) -> Membership:
    fields = organisation_fields(invitation.organisation)
    membership, _created = Membership.objects.get_or_create(user=user, role=invitation.role, **fields)
    now = timezone.now()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.enrolment_code_hash and mfa.confirmed_totp_device(user) is None:
        # The code the inviter handed over lets the person set up the authenticator at the log-in.
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        EnrolmentCode.objects.filter(code_hash=invitation.enrolment_code_hash).delete()
        EnrolmentCode.objects.create(
            user=user, code_hash=invitation.enrolment_code_hash, issued_by=invitation.invited_by,
            expires_at=now + datetime.timedelta(hours=settings.MFA_ENROLMENT_CODE_HOURS))
    _record("invitation_accepted", actor=user, invitation=invitation, membership_id=membership.pk)
    return membership


# --- Helpers ---------------------------------------------------------------------------------------


def _new_enrolment_code() -> str:
    raw = "".join(secrets.choice(mfa.ENROLMENT_CODE_ALPHABET) for _index in range(mfa.ENROLMENT_CODE_LENGTH))
    return "-".join(raw[start:start + 4] for start in range(0, mfa.ENROLMENT_CODE_LENGTH, 4))


def accept_url(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])


def _send(invitation: Invitation, token: str) -> None:
    organisation = invitation.organisation
    inviter = invitation.invited_by
    body = [
        _("%(inviter)s invites you to join %(organisation)s on the Carbon Portal as: %(role)s.") % {
            "inviter": str(inviter) if inviter else _("An administrator"), "organisation": organisation,
            "role": invitation.get_role_display()},
        "",
        _("Open this link to accept (it works once, until %(until)s):") % {
            "until": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M")},
        accept_url(token),
    ]
    if invitation.enrolment_code_hash:
        body += ["", _("Your role logs in with a second factor: to set up your authenticator app you also need "
                       "the enrolment code that the person who invited you gives you separately.")]
    body += ["", _("If you did not expect this invitation, ignore this e-mail.")]
    try:
        send_mail(_("Carbon Portal: invitation to %(organisation)s") % {"organisation": organisation},
                  "\n".join(str(line) for line in body), None, [invitation.email])
    except Exception:  # nothing is kept when the link cannot be sent
        raise Conflict(_("The invitation could not be e-mailed; nothing was saved. Try again later.")) from None


def _record(action: str, *, actor, invitation: Invitation, **details) -> None:
    record_event(kind=EVENT_KINDS[action], user=actor, action=action, invitation_id=invitation.pk,
                 email=invitation.email, role=invitation.role, organisation=str(invitation.organisation),
                 **_organisation_ids(invitation), **details)


def _organisation_ids(row) -> dict:
    return {name: getattr(row, f"{name}_id") for name in ("enterprise", "verifier_body", "authority")
            if getattr(row, f"{name}_id")}


def _organisation_field(organisation) -> str:
    if isinstance(organisation, Enterprise):
        return "enterprise"
    if isinstance(organisation, VerifierBody):
        return "verifier_body"
    if isinstance(organisation, Authority):
        return "authority"
    raise NotFound(_("No such organisation."))


def _email(value) -> str:
    email = _text(_("E-mail address"), value, max_length=254)
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("E-mail address: enter a valid e-mail address.")) from None
    return email.lower()


def _text(label, value, *, max_length: int, required: bool = True) -> str:
    return clean_text(None, label, value, max_length=max_length, required=required)


def _id(value) -> int:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else -1

