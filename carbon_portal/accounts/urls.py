from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import invitation_views, reauth, views
from .forms import PasswordResetForm

app_name = "accounts"


def _form_page(heading, button, intro=None) -> dict:
    return {"template_name": "accounts/form_page.html",
            "extra_context": {"heading": heading, "button": button, "intro": intro}}


def _notice(heading, text, link_url=None, link_text=None) -> dict:
    return {"template_name": "accounts/notice.html",
            "extra_context": {"heading": heading, "text": text, "link_url": link_url, "link_text": link_text}}


urlpatterns = [
    path("login/", views.PasswordLoginView.as_view(), name="login"),
    path("login/otp/", views.login_otp, name="login_otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("reauth/", reauth.reauth, name="reauth"),  # fresh re-authentication (reauth.py)
    path("invitations/<str:token>/", invitation_views.accept, name="invitation"),  # invitations.py
    # Password change (logged in) and reset by e-mail: Django's views, the portal's templates. A reset
    # never logs in: a user with a second factor still needs it afterwards.
    path("password/change/", auth_views.PasswordChangeView.as_view(
        success_url=reverse_lazy("accounts:password_change_done"),
        **_form_page(_("Change your password"), _("Change the password")),
    ), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(**_notice(
        _("Password changed"),
        _("Your password has been changed. Other sessions of your account have been logged out."),
        reverse_lazy("accounts:security"), _("Account security"))), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(
        form_class=PasswordResetForm,
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
        **_form_page(_("Reset your password"), _("Send the link"),
                     _("Enter the e-mail address of your account; we send a link to set a new password.")),
    ), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(**_notice(
        _("Check your e-mail"),
        _("If an account has this e-mail address, a link to set a new password is on its way. It works once and "
          "for a limited time."))), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html", post_reset_login=False,
        success_url=reverse_lazy("accounts:password_reset_complete"),
    ), name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(**_notice(
        _("Password set"),
        _("Your new password is set. Log in with it (and, where your role requires it, the code of your "
          "authenticator app)."),
        reverse_lazy("accounts:login"), _("Log in"))), name="password_reset_complete"),
]
