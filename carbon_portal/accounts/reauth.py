"""Fresh re-authentication before the most consequential steps: certifying an inventory,
revoking or suspending a label, administering users (the Django admin's user and membership
pages). A person must have given the password (and, where the role requires a second factor,
the current code) within the last REAUTH_MAX_AGE_MINUTES; signing in counts.

Portal views take `@fresh_login_required`, which sends a person whose sign-in is older to
`/accounts/reauth/?next=<where they were>`. The API has its own check (carbon_portal/api/reauth.py).
Wrong passwords count towards the django-axes lockout, as on the sign-in page.
"""

import functools
import time

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .mfa import confirmed_totp_device, verify_second_factor

FRESH_AT = "_portal_fresh_auth_at"


def mark_fresh(request, now: int | None = None) -> None:
    request.session[FRESH_AT] = int(now if now is not None else time.time())


def is_fresh(request) -> bool:
    at = getattr(request, "session", {}).get(FRESH_AT)
    return at is not None and time.time() - at <= settings.REAUTH_MAX_AGE_MINUTES * 60


def _needs_second_factor(user) -> bool:
    return user.requires_mfa and confirmed_totp_device(user) is not None


def _safe(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


def reauth_url(request) -> str:
    """Where to come back to: this page for a GET; the page the form was on for a POST (a form's
    data cannot survive the detour: it is sent again after confirming)."""
    if request.method in ("GET", "HEAD"):
        back = request.get_full_path()
    else:
        back = _safe(request, request.META.get("HTTP_REFERER")) or request.get_full_path()
    return redirect_to_login(back, reverse("accounts:reauth"), "next").url


def fresh_login_required(view):
    """Portal views: signed in, and the password given within REAUTH_MAX_AGE_MINUTES."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_fresh(request):
            return redirect(reauth_url(request))
        return view(request, *args, **kwargs)

    return wrapped


class ReauthForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password", "autofocus": True}))
    otp = forms.CharField(label=_("Code from your authenticator"), required=False, max_length=32,
                          widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.second_factor = _needs_second_factor(request.user)
        if not self.second_factor:
            del self.fields["otp"]

    def clean(self):
        data = super().clean()
        user = self.request.user
        password = data.get("password")
        if password is None:
            return data
        if authenticate(self.request, username=user.get_username(), password=password) is None:
            raise forms.ValidationError(_("The password is wrong."), code="invalid_credentials")
        if self.second_factor and verify_second_factor(user, data.get("otp", "")) is None:
            self.add_error("otp", forms.ValidationError(_("The code is wrong or has already been used."),
                                                        code="otp_invalid"))
        return data


@never_cache
@sensitive_post_parameters("password", "otp")
@login_required
def reauth(request):
    """`/accounts/reauth/?next=`: confirm the password (and second factor) to go on."""
    next_url = _safe(request, request.POST.get("next") or request.GET.get("next")) or settings.LOGIN_REDIRECT_URL
    form = ReauthForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        mark_fresh(request)
        return redirect(next_url)
    return render(request, "accounts/reauth.html",
                  {"form": form, "next": next_url, "minutes": settings.REAUTH_MAX_AGE_MINUTES},
                  status=400 if request.method == "POST" else 200)


def fresh_login_required_when(condition):
    """`fresh_login_required` for the requests `condition(request, *args, **kwargs)` picks (one view
    that takes several steps, of which only some are consequential)."""

    def decorator(view):
        guarded = fresh_login_required(view)

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            return (guarded if condition(request, *args, **kwargs) else view)(request, *args, **kwargs)

        return wrapped

    return decorator


class FreshLoginAdminMixin:
    """Django admin: adding, changing or deleting (and the list's bulk actions, and setting a user's
    password) want a fresh sign-in; the list itself is free to look at."""

    def _stale(self, request):
        return None if is_fresh(request) else redirect(reauth_url(request))

    def changeform_view(self, request, *args, **kwargs):
        return self._stale(request) or super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._stale(request) or super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        if request.method == "POST":
            stale = self._stale(request)
            if stale:
                return stale
        return super().changelist_view(request, *args, **kwargs)

    def user_change_password(self, request, *args, **kwargs):
        return self._stale(request) or super().user_change_password(request, *args, **kwargs)
