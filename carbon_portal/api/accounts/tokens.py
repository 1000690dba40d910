"""API tokens (django-rest-knox's AuthToken): issued, listed and revoked here.

A token's public id is its key: the first characters of the token (knox keeps them to find the
token; the rest is only stored as a SHA-512 digest). The full token is shown once, when issued.
Every token of a user is revoked when the user's password changes (`connect()`, called from
`ApiConfig.ready()`): stolen tokens stop working with the password that leaked with them.
Django's password-hash upgrade on a successful login changes the stored hash too, and revokes
the tokens the same way, as it ends Django's other sessions.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from knox.models import AuthToken


def issue(user) -> tuple[AuthToken, str]:
    """A new token for `user`: (its row, the token itself, never stored)."""
    return AuthToken.objects.create(user=user)


def active_tokens(user):
    now = timezone.now()
    return AuthToken.objects.filter(user=user).exclude(expiry__lte=now).order_by("-created")


def revoke(user, token_id: str) -> int:
    """Revoke the user's token(s) with this id (key); the number revoked."""
    revoked = 0
    for token in AuthToken.objects.filter(user=user, token_key=token_id):
        token.delete()  # one by one: each sends post_delete (the security log, the data generation)
        revoked += 1
    return revoked


def revoke_all(user) -> int:
    revoked = 0
    for token in AuthToken.objects.filter(user=user):
        token.delete()
        revoked += 1
    return revoked


def _remember_password(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    instance._api_previous_password = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()


def _revoke_on_password_change(sender, instance, created, raw=False, **kwargs):
    previous = instance.__dict__.pop("_api_previous_password", None)
    if raw or created or previous is None or previous == instance.password:
        return
    revoke_all(instance)


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(_remember_password, sender=user_model, dispatch_uid="api.tokens.remember_password")
    post_save.connect(_revoke_on_password_change, sender=user_model, dispatch_uid="api.tokens.password_changed")
