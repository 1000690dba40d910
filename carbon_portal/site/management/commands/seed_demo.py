import json

from django.core.management.base import BaseCommand

from carbon_portal.demo import seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo organisations, users, meters and data (docs/interfaces.md §2). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the credentials as one JSON object")

    def handle(self, *args, **options):
        demo = seed_demo()
        if options["json"]:
            self.stdout.write(json.dumps(demo, ensure_ascii=False, indent=2))
            return
        self.stdout.write("Demo users (username / password / TOTP secret):")
        for username, credentials in demo["users"].items():
            totp = credentials.get("totp_secret")
            self.stdout.write(f"  {username:<12} {credentials['password']}" + (f"  TOTP {totp}" if totp else ""))
        for enterprise, identifiers in demo["meters"].items():
            self.stdout.write(f"Enterprise {enterprise} meters: {', '.join(identifiers)}")
            self.stdout.write(f"Enterprise {enterprise} device key: {demo['device_keys'][enterprise]}")
