"""Deliver the transactional outbox: once (`--once`, for cron) or in a loop (a small service)."""

import time

from django.core.management.base import BaseCommand

from carbon_portal.core import outbox


class Command(BaseCommand):
    help = "Deliver the outbox messages that are due (side effects of committed changes), with retries."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="deliver what is due now, then stop")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between sweeps (default 30)")

    def handle(self, *args, once=False, interval=30.0, **options):
        while True:
            delivered = outbox.deliver_due()
            if options["verbosity"] > 1 or (once and options["verbosity"] > 0):
                self.stdout.write(f"{delivered} outbox message(s) delivered")
            if once:
                return
            time.sleep(interval)
