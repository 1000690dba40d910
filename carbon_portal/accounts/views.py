"""Log-in in two steps: password, then (for verifiers, government users and administrators) a TOTP
code. A user who needs a second factor is not logged in until the code is right."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from .forms import TokenForm
from .mfa import (
    PENDING_SESSION_KEY,
    base32_secret,
    confirmed_totp_device,
    enrolment_device,
    provisioning_qr_svg,
    verify_totp,
)

NEXT_SESSION_KEY = "mfa_next"


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
        return redirect("accounts:login_otp")


def login_otp(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    device = confirmed_totp_device(user)
    enrolling = device is None
    if enrolling:
        device = enrolment_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_totp(device, form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            next_url = request.session.pop(NEXT_SESSION_KEY, "")
            request.session.pop(PENDING_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(_safe_next(request, next_url))
        form.add_error("token", _("The code is not right or has expired. Try the current code."))
    context = {"form": form, "enrolling": enrolling, "user_pending": user}
    if enrolling:
        context.update(secret=base32_secret(device), qr_svg=provisioning_qr_svg(device))
    return render(request, "accounts/login_otp.html", context)


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
