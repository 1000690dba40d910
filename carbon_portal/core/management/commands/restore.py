import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carbon_portal.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into this portal's empty database, media folder and key files."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, dest="source", help="the backup folder")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the manifest as JSON")

    def handle(self, *args, source: str, as_json: bool, **options):
        try:
            manifest = restore(source=Path(source))
        except BackupError as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(manifest))
        else:
            self.stdout.write(f"restored the backup of {manifest['created_at']}")
