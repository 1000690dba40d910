"""python manage.py purge_security_log [--json]: delete security events older than
SECURITY_LOG_RETENTION_DAYS (default 365); the purge itself is recorded as a `log_purged` event."""

import json

from django.core.management.base import BaseCommand

from carbon_portal.security.services import purge_security_log


class Command(BaseCommand):
    help = "Delete security events older than SECURITY_LOG_RETENTION_DAYS and record the purge."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object")

    def handle(self, *args, **options):
        result = purge_security_log()
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"deleted {result['deleted']} security events older than {result['before']}")
