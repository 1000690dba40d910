"""python manage.py verify_label FILE_OR_IDENTIFIER [--keys KEYS.json] [--json]

Verifies a label's Ed25519 signature offline: FILE is the JSON of GET /api/v1/labels/<identifier>;
an identifier is looked up in this portal's database. The keys are those this portal publishes
(GET /api/v1/keys), or the file given with --keys. A bad signature: exit 1, one line on stderr.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import identifiers
from certificates.offline import VerificationFailed, keys_from_document, verify_label_document


class Command(BaseCommand):
    help = "Verify a label's signature offline with the published public keys."

    def add_arguments(self, parser):
        parser.add_argument("label", help="a label JSON file (as GET /api/v1/labels/<identifier> returns) or an "
                                          "identifier")
        parser.add_argument("--keys", help="a keys JSON file (as GET /api/v1/keys returns); default: this portal's")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the result as JSON")

    def handle(self, *args, label: str, keys: str | None, as_json: bool, **options):
        document = self._label_document(label)
        published = self._keys(keys)
        try:
            content = verify_label_document(document, published)
        except VerificationFailed as error:
            raise CommandError(str(error), returncode=1) from None
        result = {"valid": True, "identifier": content.get("identifier"), "key_id": document["signature"]["key_id"],
                  "status": document.get("status"), "kind": content.get("kind"), "period": content.get("period"),
                  "valid_until": content.get("valid_until")}
        if as_json:
            self.stdout.write(_dumps(result))
        else:
            self.stdout.write(f"OK {result['identifier']}: signature valid (Ed25519, key {result['key_id']}); "
                              f"status {result['status'] or 'unknown'}")

    def _label_document(self, value: str) -> dict:
        path = Path(value)
        if path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"{value}: not a JSON file ({error})", returncode=2) from None
        if not identifiers.is_well_formed(value):
            raise CommandError(f"{value}: neither a file nor a label identifier", returncode=2)
        from certificates.resolution import resolve  # noqa: PLC0415

        entry = resolve(value)
        if entry is None:
            raise CommandError(f"{value}: no such label", returncode=2)
        return json.loads(entry["body"])

    def _keys(self, path: str | None) -> dict[str, str]:
        if path:
            try:
                return keys_from_document(json.loads(Path(path).read_text(encoding="utf-8")))
            except (OSError, ValueError, AttributeError) as error:
                raise CommandError(f"{path}: not a keys JSON file ({error})", returncode=2) from None
        from certificates.key_store import published_keys  # noqa: PLC0415

        return keys_from_document({"keys": published_keys()})


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
