import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carbon_portal.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, the media files and the key files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the folder to write (created; must be empty)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the manifest as JSON")

    def handle(self, *args, output: str, as_json: bool, **options):
        try:
            manifest = backup(output=Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(manifest))
        else:
            self.stdout.write(f"backup written to {output} ({len(manifest['sha256'])} files)")
