import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from inventories.services import load_factor_library


class Command(BaseCommand):
    help = "Load an edition of the emission-factor library (default: fixtures/factor_library.json). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(settings.FACTOR_LIBRARY_FILE))
        parser.add_argument("--not-current", action="store_true", help="Store it without making it current.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from error
        try:
            factor_set, created = load_factor_library(data=data, make_current=not options["not_current"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        state = "loaded" if created else "already loaded"
        self.stdout.write(f"factor set {factor_set} {state} ({factor_set.values.count()} values)")
