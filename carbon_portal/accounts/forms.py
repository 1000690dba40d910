from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"), max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SecondFactorForm(forms.Form):
    """The second step of the log-in: the authenticator's code, or one recovery code."""

    token = forms.CharField(
        label=_("Six-digit code from your authenticator app, or a recovery code"), max_length=20, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Enrolment code from your administrator"), max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, also for an active account that has no password yet: an approved applicant or an
    invited person whose first e-mailed link expired asks for a new one here (the portal has no
    outside sign-in for which an unusable password would mean "not ours")."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if _iexact(user.email, email))


def _iexact(stored: str, typed: str) -> bool:
    return auth_forms._unicode_ci_compare(stored, typed)
