"""`python manage.py issue_enrolment_code USERNAME [--json] [--hours N] [--reset]`: a single-use
code with which the user sets up an authenticator app at the log-in (carbon_portal/accounts/mfa.py).
Give it to the user out of band; only its hash is stored."""

import json

from django.core.management.base import BaseCommand, CommandError

from carbon_portal.accounts import mfa
from carbon_portal.accounts.models import User


class Command(BaseCommand):
    help = "Issue a single-use enrolment code for a user's second factor."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--json", action="store_true", help='Print {"code": ..., "expires_at": ...}.')
        parser.add_argument("--hours", type=int, default=None,
                            help="Validity in hours (default: the MFA_ENROLMENT_CODE_HOURS setting).")
        parser.add_argument("--reset", action="store_true",
                            help="Forget the user's authenticator and recovery codes first (a lost device).")

    def handle(self, *args, username, hours, reset: bool, **options):
        if hours is not None and hours < 1:
            raise CommandError("--hours must be at least 1.")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        if reset:
            mfa.reset_second_factor(user)
        elif mfa.confirmed_totp_device(user) is not None:
            raise CommandError(f"{username} already has an authenticator; add --reset to replace it.")
        code, record = mfa.issue_enrolment_code(user, hours=hours)
        if options["json"]:
            self.stdout.write(json.dumps({"code": code, "expires_at": record.expires_at.isoformat()}))
        else:
            self.stdout.write(f"Enrolment code for {username}: {code} "
                              f"(valid until {record.expires_at:%Y-%m-%d %H:%M %Z})")
