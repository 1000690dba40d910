"""Log-in in two steps: password, then (for the users that require it, `User.requires_mfa`) the
code of their authenticator or a recovery code. A user who needs a second factor is not logged in
until it is right; one without an authenticator sets one up only with an enrolment code from an
administrator. Every other login page (Wagtail's, Django admin's) sends people here."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model, login, user_login_failed
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import mfa
from .forms import EnrolmentCodeForm, SecondFactorForm, TokenForm

PENDING_SESSION_KEY = mfa.PENDING_SESSION_KEY
NEXT_SESSION_KEY = "mfa_next"
ENROLMENT_SESSION_KEY = "mfa_enrolment_device_id"


class PasswordLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not user.requires_mfa:
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_SESSION_KEY] = user.pk
        self.request.session[NEXT_SESSION_KEY] = self.get_redirect_url()
        self.request.session.pop(ENROLMENT_SESSION_KEY, None)
        return redirect("accounts:login_otp")


def login_otp(request):
    """The second step: the authenticator's code or a recovery code; without an authenticator,
    enrolment (enrolment code, then the new secret, then its first code)."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if mfa.confirmed_totp_device(user) is None:
        return _enrol(request, user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify_second_factor(user, form.cleaned_data["token"])
        if device is not None:
            if isinstance(device, StaticDevice):
                messages.warning(request, _("You used a recovery code; %(left)d are left. Make new ones on your "
                                            "account page.") % {"left": mfa.recovery_codes_left(user)})
            return redirect(_safe_next(request, _complete_login(request, user, device)))
        form.add_error("token", _("The code is not right or has expired. Try the current code."))
    return render(request, "accounts/login_otp.html", {"form": form, "user_pending": user})


def _enrol(request, user):
    device = mfa.pending_enrolment_device(user, request.session.get(ENROLMENT_SESSION_KEY))
    if device is None:
        form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if mfa.redeem_enrolment_code(user, form.cleaned_data["code"]):
                request.session[ENROLMENT_SESSION_KEY] = mfa.start_enrolment(user).pk
                return redirect("accounts:login_otp")
            # Counts towards the django-axes lockout of this username, like a wrong password.
            user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
            form.add_error("code", _("This enrolment code is not valid: it is wrong, used or expired."))
        return render(request, "accounts/login_enrol.html", {"form": form, "user_pending": user})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify_totp(device, form.cleaned_data["token"]):
            codes = mfa.confirm_enrolment(device)
            next_url = _safe_next(request, _complete_login(request, user, device))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})
        form.add_error("token", _("The code is not right or has expired. Try the current code."))
    return render(request, "accounts/login_otp.html", {
        "form": form, "enrolling": True, "user_pending": user,
        "secret": mfa.base32_secret(device), "qr_svg": mfa.provisioning_qr_svg(device)})


def _complete_login(request, user, device) -> str:
    """Log the user in with the second factor passed; the `next` they came for."""
    next_url = request.session.pop(NEXT_SESSION_KEY, "")
    request.session.pop(PENDING_SESSION_KEY, None)
    request.session.pop(ENROLMENT_SESSION_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    return next_url


@login_required
def security(request):
    """The account page: password change, and new recovery codes after the authenticator's code."""
    user = request.user
    device = mfa.confirmed_totp_device(user)
    form = TokenForm(request.POST or None) if device is not None else None
    if form is not None and request.method == "POST" and form.is_valid():
        if mfa.verify_totp(device, form.cleaned_data["token"]):
            return render(request, "accounts/recovery_codes.html", {
                "codes": mfa.issue_recovery_codes(user), "next_url": reverse("accounts:security")})
        form.add_error("token", _("The code is not right or has expired. Try the current code."))
    return render(request, "accounts/security.html", {
        "form": form, "has_authenticator": device is not None,
        "recovery_codes_left": mfa.recovery_codes_left(user)})


def other_login_page(request, default_next: str):
    """Wagtail's and Django admin's login pages: the portal's two-step log-in instead. Someone
    already logged in who is sent here by an administration (with `next`) may not use it."""
    next_url = request.GET.get("next")
    if request.user.is_authenticated:
        if next_url:
            raise PermissionDenied(_("Your account may not use this administration."))
        return redirect(default_next)
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url or default_next})}")


def locked_out(request, credentials=None, *args, **kwargs):
    messages.error(request, _("Too many failed log-in attempts. Try again in 15 minutes."))
    return render(request, "accounts/locked_out.html", status=429)


def _pending_user(request):
    user_id = request.session.get(PENDING_SESSION_KEY)
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _safe_next(request, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
        return next_url
    return reverse("site:dashboard")
