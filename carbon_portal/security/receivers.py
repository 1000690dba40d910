"""What this app records through signals: sign-ins (Django's and django-axes' signals), API
tokens (django-rest-knox) issued and revoked, and changes of people, roles, groups and
permissions. Connected in `SecurityConfig.ready()`."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from knox.models import AuthToken

from carbon_portal.accounts.models import Membership

from .events import current_request, record_event
from .models import EventKind, Outcome

# Fields of a user whose change is worth an event (a password's value never is recorded).
WATCHED_USER_FIELDS = ("username", "email", "password", "is_active", "is_staff", "is_superuser")
FLAG_FIELDS = {"is_active", "is_staff", "is_superuser"}


def on_login(sender, request, user, **kwargs):
    record_event(kind=EventKind.LOGIN, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    record_event(kind=EventKind.LOGIN_FAILED, request=request, outcome=Outcome.FAILURE,
                 user=get_user_model().objects.filter(username=username).first() if username else None,
                 username=username)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    record_event(kind=EventKind.LOCKOUT, request=request, outcome=Outcome.DENIED, username=str(username or ""),
                 user=get_user_model().objects.filter(username=username).first() if username else None)


def on_token_saved(sender, instance, created, **kwargs):
    if created:
        record_event(kind=EventKind.TOKEN_ISSUED, user=instance.user, **_token(instance))


def on_token_deleted(sender, instance, **kwargs):
    # The actor only: the token's owner may be being deleted in the same cascade.
    record_event(kind=EventKind.TOKEN_REVOKED, user=_actor(), **_token(instance))


def _token(instance) -> dict:
    """Its public id (knox's key prefix, never the token), owner and expiry."""
    return {"token_id": instance.token_key, "token_user_id": instance.user_id, "expiry": instance.expiry}


def _actor():
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _subject(user) -> dict:
    return {"subject_id": user.pk, "subject": user.get_username()}


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    fields = [name for name in WATCHED_USER_FIELDS if update_fields is None or name in update_fields]
    if not fields:
        return
    instance._security_previous = sender.objects.filter(pk=instance.pk).values(*fields).first()


def on_user_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record_event(kind=EventKind.USER_CREATED, user=_actor(), **_subject(instance),
                     flags={name: getattr(instance, name) for name in sorted(FLAG_FIELDS)})
        return
    previous = instance.__dict__.pop("_security_previous", None)
    if not previous:
        return
    changed = sorted(name for name, value in previous.items() if getattr(instance, name) != value)
    if changed:
        record_event(kind=EventKind.USER_CHANGED, user=_actor(), **_subject(instance), changed=changed,
                     flags={name: getattr(instance, name) for name in changed if name in FLAG_FIELDS})


def on_user_deleted(sender, instance, **kwargs):
    actor = _actor()
    record_event(kind=EventKind.USER_DELETED, user=actor if actor is not None and actor.pk != instance.pk else None,
                 username=actor.get_username() if actor is not None else "", **_subject(instance))


def _membership(instance) -> dict:
    organisation = instance.organisation
    return {"membership_id": instance.pk, "role": instance.role,
            "organisation": str(organisation) if organisation is not None else "",
            "subject_id": instance.user_id}


def on_membership_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        record_event(kind=EventKind.ROLE_GRANTED if created else EventKind.ROLE_CHANGED, user=_actor(),
                     **_membership(instance))


def on_membership_deleted(sender, instance, **kwargs):
    record_event(kind=EventKind.ROLE_REVOKED, user=_actor(), **_membership(instance))


def _on_m2m(kind, field):
    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        verb = action.removeprefix("post_")
        if reverse:  # group.user_set.add(...): the instance is the group or permission
            record_event(kind=kind, user=_actor(), action=verb, subject_ids=sorted(pk_set or []),
                         **{field: [str(instance)]})
        else:
            names = sorted(str(item) for item in model.objects.filter(pk__in=pk_set or []))
            record_event(kind=kind, user=_actor(), action=verb, **_subject(instance), **{field: names})

    return receiver


on_groups_changed = _on_m2m(EventKind.GROUPS_CHANGED, "groups")
on_permissions_changed = _on_m2m(EventKind.PERMISSIONS_CHANGED, "permissions")


def connect() -> None:
    user_model = get_user_model()
    uid = "security."
    user_logged_in.connect(on_login, dispatch_uid=uid + "login")
    user_login_failed.connect(on_login_failed, dispatch_uid=uid + "login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid=uid + "locked_out")
    post_save.connect(on_token_saved, sender=AuthToken, dispatch_uid=uid + "token_saved")
    post_delete.connect(on_token_deleted, sender=AuthToken, dispatch_uid=uid + "token_deleted")
    pre_save.connect(on_user_pre_save, sender=user_model, dispatch_uid=uid + "user_pre_save")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid=uid + "user_saved")
    post_delete.connect(on_user_deleted, sender=user_model, dispatch_uid=uid + "user_deleted")
    post_save.connect(on_membership_saved, sender=Membership, dispatch_uid=uid + "membership_saved")
    post_delete.connect(on_membership_deleted, sender=Membership, dispatch_uid=uid + "membership_deleted")
    m2m_changed.connect(on_groups_changed, sender=user_model.groups.through, dispatch_uid=uid + "groups")
    m2m_changed.connect(on_permissions_changed, sender=user_model.user_permissions.through,
                        dispatch_uid=uid + "permissions")
