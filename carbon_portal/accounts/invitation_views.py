"""`/accounts/invitations/<token>/`: accepting an invitation (carbon_portal/accounts/invitations.py).

- An unknown link answers 404; one used, revoked or expired answers 410; both with a page that
  says so (never an error).
- Nobody has the invitation's e-mail address yet: the person chooses a user name, display name
  and password (Django's password validators) and joins.
- An account with that address exists: its owner logs in first, then confirms.
- A role that needs a second factor: after accepting, the person is where the log-in asks for the
  second factor (`views.login_otp`); without an authenticator that is the enrolment step, which
  takes the enrolment code the inviter handed over. Nobody is logged in on the password alone.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from carbon_portal.core.errors import ApplicationError, InvalidInput, NotFound
from carbon_portal.core.text import control_character, control_character_message

from . import invitations
from .views import ENROLMENT_SESSION_KEY, NEXT_SESSION_KEY, PENDING_SESSION_KEY

INVALID_STATUS = {"unknown": 404, "used": 410, "revoked": 410, "expired": 410}


class NewAccountForm(forms.Form):
    label_suffix = ""
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150,
                               help_text=gettext_lazy("Letters, digits and @/./+/-/_ only."))
    display_name = forms.CharField(label=gettext_lazy("Display name"), max_length=150, required=False,
                                   help_text=gettext_lazy("How others see you, e.g. your full name."))
    password1 = forms.CharField(label=gettext_lazy("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=gettext_lazy("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        for name in ("username", "display_name"):
            value = data.get(name)
            character = control_character(value, multiline=False) if isinstance(value, str) else None
            if character:
                self.add_error(name, control_character_message(self.fields[name].label, character))
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


def _invalid(request, reason: str):
    return render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=INVALID_STATUS[reason])


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def accept(request, token):
    invitation = invitations.invitation_by_token(token)
    reason = invitations.usable(invitation)
    if reason:
        return _invalid(request, reason)
    context = {"invitation": invitation, "organisation": invitation.organisation,
               "second_factor": bool(invitation.enrolment_code_hash)}
    user = request.user
    if user.is_authenticated:
        if (user.email or "").lower() != invitation.email:
            return render(request, "accounts/invitation.html", {**context, "wrong_account": True}, status=403)
        if request.method == "POST":
            try:
                invitations.accept_as_existing_user(token=token, user=user)
            except NotFound:
                return _invalid(request, invitations.usable(invitations.invitation_by_token(token)) or "unknown")
            except ApplicationError as error:
                messages.error(request, str(error))
                return render(request, "accounts/invitation.html", {**context, "confirm": True}, status=error.status)
            return _joined(request, user, invitation)
        return render(request, "accounts/invitation.html", {**context, "confirm": True})
    if invitations.existing_account(invitation) is not None:
        login_url = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/invitation.html", {**context, "log_in_first": True, "login_url": login_url})
    local_part = invitation.email.split("@")[0]
    form = NewAccountForm(request.POST or None, initial={"username": local_part})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                new_user = invitations.accept_as_new_user(token=token, username=data["username"],
                                                          display_name=data["display_name"],
                                                          password=data["password1"])
            except NotFound:
                return _invalid(request, invitations.usable(invitations.invitation_by_token(token)) or "unknown")
            except InvalidInput as error:
                message = str(error)
                field = next((name for name, label in (("username", _("User name")), ("display_name",
                              _("Display name")), ("password1", _("Password"))) if message.startswith(f"{label}:")),
                             None)
                form.add_error(field, message)
            except ApplicationError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                return _joined(request, new_user, invitation)
    return render(request, "accounts/invitation.html", {**context, "form": form}, status=status)


def _joined(request, user, invitation):
    """After accepting: logged in as usual; for a second factor, at its step of the log-in."""
    messages.success(request, _("Welcome: you are now %(role)s of %(organisation)s.") % {
        "role": invitation.get_role_display(), "organisation": invitation.organisation})
    user.refresh_from_db()
    verified = request.user.is_authenticated and getattr(request.user, "is_verified", lambda: False)()
    if user.requires_mfa and not verified:
        if request.user.is_authenticated:
            logout(request)
        request.session.cycle_key()
        request.session[PENDING_SESSION_KEY] = user.pk
        request.session[NEXT_SESSION_KEY] = reverse("site:dashboard")
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        return redirect("accounts:login_otp")
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("site:dashboard")
