"""python manage.py verify_audit_log [--json]: recompute the audit trail's hash chain.

Exit 0 when every entry matches its hash and follows the one before it, and every signed
checkpoint (`audit_checkpoint`) holds and names an entry the trail still has; else exit 1 and
name each problem on stderr."""

import json

from django.core.management.base import BaseCommand, CommandError

from workflows.services import verify_audit_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the workflow audit trail (detects changed, removed or reordered entries)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the report as one JSON object")

    def handle(self, *args, **options):
        report = verify_audit_chain()
        if options["json"]:
            self.stdout.write(json.dumps({"ok": report.ok, "entries": report.entries, "head_hash": report.head_hash,
                                          "checkpoints": report.checkpoints,
                                          "latest_checkpoint": report.latest_checkpoint,
                                          "problems": report.problems}))
        elif report.ok:
            anchored = (f", {report.checkpoints} signed checkpoints up to #{report.latest_checkpoint}"
                        if report.checkpoints else ", no checkpoints yet")
            self.stdout.write(f"audit trail intact: {report.entries} entries, head {report.head_hash}{anchored}")
        if not report.ok:
            for problem in report.problems[1:]:
                self.stderr.write(problem)
            raise CommandError(f"audit trail broken: {report.problems[0]}")
