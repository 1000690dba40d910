"""An organisation's people: who they are, and deactivating or reactivating an account.

Reads are scoped by `invitations.may_manage` (platform administrators: every organisation;
an enterprise administrator: their enterprise). A deactivated account cannot log in (Django
refuses an inactive user), its sessions end at once and its API tokens are deleted; reactivating
lets it log in again (the tokens stay gone). Nobody deactivates themself, nor the last active
enterprise administrator of an enterprise; an enterprise administrator deactivates only people
who belong to no other organisation (a platform administrator decides about those).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from carbon_portal.core.errors import Conflict, NotFound, PermissionDenied
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind

from . import mfa
from .invitations import _id, enterprises_administered_by, is_platform_admin, may_manage, organisation_fields
from .models import Membership, Role, User


@dataclass
class Member:
    user: User
    roles: list[str] = field(default_factory=list)  # role values in this organisation
    memberships: list[Membership] = field(default_factory=list)

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(role, role)) for role in self.roles]


# --- Reads -----------------------------------------------------------------------------------------


def memberships_of(organisation) -> QuerySet[Membership]:
    return (Membership.objects.filter(**{k: v for k, v in organisation_fields(organisation).items() if v})
            .select_related("user").order_by("user__username", "role"))


def members_of(organisation) -> list[Member]:
    """One row per person of the organisation, with their roles there."""
    members: dict[int, Member] = {}
    for membership in memberships_of(organisation):
        member = members.setdefault(membership.user_id, Member(user=membership.user))
        member.roles.append(membership.role)
        member.memberships.append(membership)
    for member in members.values():
        member.user.has_authenticator = mfa.confirmed_totp_device(member.user) is not None
    return sorted(members.values(), key=lambda member: (not member.user.is_active, member.user.username.lower()))


def member_user_ids(organisation) -> QuerySet:
    return memberships_of(organisation).values("user_id")


def member_for(actor, organisation, user_id) -> User:
    """A person of `organisation` whose people `actor` manages (else NotFound)."""
    if not may_manage(actor, organisation):
        raise NotFound(_("No such person."))
    user = User.objects.filter(pk=_id(user_id), pk__in=member_user_ids(organisation)).first()
    if user is None:
        raise NotFound(_("No such person."))
    return user


def manageable_user(actor, user_id) -> User:
    """A person `actor` may deactivate or reactivate: a member of an organisation they manage."""
    user = User.objects.filter(pk=_id(user_id)).first()
    if user is None or not getattr(actor, "is_authenticated", False):
        raise NotFound(_("No such person."))
    if is_platform_admin(actor):
        return user
    administered = enterprises_administered_by(actor)
    if not Membership.objects.filter(user=user, enterprise__in=administered).exists():
        raise NotFound(_("No such person."))
    return user


# --- Writes ----------------------------------------------------------------------------------------


def deactivate(*, actor, user_id) -> dict:
    """The account can no longer log in; its sessions end and its API tokens are deleted."""
    with transaction.atomic():
        user = _lock(manageable_user(actor, user_id))
        if user.pk == actor.pk:
            raise Conflict(_("You cannot deactivate your own account."))
        if not is_platform_admin(actor):
            administered = enterprises_administered_by(actor)
            if user.is_superuser or user.memberships.exclude(enterprise__in=administered).exists():
                raise Conflict(_("This person also belongs to another organisation; a platform administrator can "
                                 "deactivate the account."))
        if not user.is_active:
            raise Conflict(_("This account is already deactivated."))
        for membership in user.memberships.filter(role=Role.ENTERPRISE_ADMIN).select_related("enterprise"):
            others = Membership.objects.filter(enterprise=membership.enterprise, role=Role.ENTERPRISE_ADMIN,
                                               user__is_active=True).exclude(user=user)
            if not others.exists():
                raise Conflict(_("%(name)s is the last active enterprise administrator of %(enterprise)s: invite or "
                                 "reactivate another one first.") % {"name": user,
                                                                      "enterprise": membership.enterprise})
        user.is_active = False
        user.save(update_fields=["is_active"])
        sessions = end_sessions(user)
        tokens = 0
        for token in AuthToken.objects.filter(user=user):
            token.delete()  # one by one: each is logged (token_revoked)
            tokens += 1
        record_event(kind=EventKind.USER_DEACTIVATED, user=actor, action="user_deactivated", subject_id=user.pk,
                     subject=user.get_username(), sessions_ended=sessions, tokens_deleted=tokens)
    return {"user": user, "sessions_ended": sessions, "tokens_deleted": tokens}


def reactivate(*, actor, user_id) -> User:
    with transaction.atomic():
        user = _lock(manageable_user(actor, user_id))
        if user.is_active:
            raise Conflict(_("This account is active."))
        if not is_platform_admin(actor) and user.memberships.exclude(
                enterprise__in=enterprises_administered_by(actor)).exists():
            raise Conflict(_("This person also belongs to another organisation; a platform administrator can "
                             "reactivate the account."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        record_event(kind=EventKind.USER_REACTIVATED, user=actor, action="user_reactivated", subject_id=user.pk,
                     subject=user.get_username())
    return user


def issue_enrolment_code(*, actor, user_id) -> tuple[str, User]:
    """A platform administrator gives a person (who has no authenticator yet, or lost it) a new
    enrolment code, shown once; the earlier unused ones stop working."""
    if not is_platform_admin(actor):
        raise PermissionDenied(_("Only a platform administrator issues enrolment codes."))
    with transaction.atomic():
        user = _lock(manageable_user(actor, user_id))
        if mfa.confirmed_totp_device(user) is not None:
            raise Conflict(_("This person has an authenticator already; reset it in the administration first."))
        code, record = mfa.issue_enrolment_code(user, issued_by=actor)
        record_event(kind=EventKind.USER_CHANGED, user=actor, action="enrolment_code_issued", subject_id=user.pk,
                     subject=user.get_username(), expires_at=record.expires_at)
    return code, user


def end_sessions(user) -> int:
    """Delete the user's stored sessions (database-backed session engines); the number ended.
    With any engine, a deactivated user's session no longer counts: Django's authentication
    refuses an inactive user on the next request."""
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    get_model = getattr(store_class, "get_model_class", None)
    if get_model is None:
        return 0
    ended = 0
    decoder = store_class()
    for row in get_model().objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data"):
        if str(decoder.decode(row.session_data).get(SESSION_KEY)) == str(user.pk):
            store_class(session_key=row.session_key).delete()
            ended += 1
    return ended


def _lock(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)

