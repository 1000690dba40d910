"""python manage.py audit_checkpoint [--json]: sign the audit trail's head and append it to
AUDIT_CHECKPOINT_FILE (run it periodically: cron, or the Celery task
`workflows.tasks.audit_checkpoint`). `verify_audit_log` then detects the newest entries removed
together with a rewound chain head."""

import json

from django.core.management.base import BaseCommand, CommandError

from workflows.services import write_audit_checkpoint


class Command(BaseCommand):
    help = "Append a signed checkpoint of the audit trail's head to AUDIT_CHECKPOINT_FILE."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the checkpoint as one JSON object")

    def handle(self, *args, **options):
        try:
            record = write_audit_checkpoint()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(record, sort_keys=True))
        else:
            self.stdout.write(f"checkpoint: entry #{record['sequence']} {record['entry_hash']} at {record['time']}")
