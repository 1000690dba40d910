from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


APPLICATION_MAIL_TOPIC = "accounts.application_mail"


def _deliver_application_mail(payload: dict) -> None:
    from .applications import deliver_mail

    deliver_mail(payload)


class AccountsConfig(AppConfig):
    name = "carbon_portal.accounts"
    label = "accounts"
    verbose_name = _("Organisations and people")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import mark_signed_in

        # The session's lifetime and its fresh sign-in start at signing in (sessions.py, reauth.py).
        user_logged_in.connect(mark_signed_in, dispatch_uid="accounts.sessions.signed_in")

        from carbon_portal.core import outbox

        # The e-mails about applications to join (applications.py), sent after the commit.
        outbox.register(APPLICATION_MAIL_TOPIC)(_deliver_application_mail)
