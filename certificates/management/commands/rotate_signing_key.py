"""python manage.py rotate_signing_key [--private-key-file PEM] [--json]

Makes a new Ed25519 key current for signing labels; the previous key is retired but stays
published, so every label issued before keeps verifying. Without --private-key-file a key is
generated and stored encrypted; with it, only the public half is stored and the private key is
read from LABEL_SIGNING_PRIVATE_KEY(_FILE) when signing.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.key_store import rotate_signing_key


class Command(BaseCommand):
    help = "Rotate the label signing key (older labels stay verifiable)."

    def add_arguments(self, parser):
        parser.add_argument("--private-key-file", help="PEM (PKCS#8) of an Ed25519 private key kept outside the "
                                                       "database")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, private_key_file=None, as_json=False, **options):
        pem = None
        if private_key_file:
            try:
                pem = Path(private_key_file).read_text(encoding="ascii")
            except OSError as error:
                raise CommandError(f"{private_key_file}: {error}") from None
        try:
            key = rotate_signing_key(private_key_pem=pem)
        except ValueError as error:
            raise CommandError(f"{private_key_file}: {error}") from None
        result = {"key_id": key.key_id, "public_key": key.public_key, "private_key_source": key.private_key_source}
        self.stdout.write(_dumps(result) if as_json else f"current signing key: {key.key_id} ({key.private_key_source})")


def _dumps(data) -> str:
    return json.dumps(data)
