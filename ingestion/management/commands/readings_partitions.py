"""python manage.py readings_partitions [--ahead N] [--archive-before YYYY-MM [--output DIR]] [--json]
— the monthly partitions of the readings table on PostgreSQL (ingestion/readings/partitions.py,
docs/deployment.md). Run it as the table's owner (the role that migrates)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingestion.readings import partitions


class Command(BaseCommand):
    help = ("Create the monthly partitions of the readings table ahead (moving rows of those months out of the "
            "DEFAULT partition) and, optionally, detach (and with --output export and drop) old ones.")

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=3,
                            help="months after the current (UTC) one to have partitions for (default 3)")
        parser.add_argument("--archive-before", metavar="YYYY-MM",
                            help="detach the partitions of the months before this one; default: "
                                 "READINGS_RETENTION_MONTHS before the current month when that is set, else none")
        parser.add_argument("--output", metavar="DIR",
                            help="with --archive-before: write each such partition (and any detached earlier) to "
                                 "DIR/<table>.csv, then drop it")
        parser.add_argument("--json", action="store_true", help="print what was done as JSON")

    def handle(self, *args, **options):
        if options["ahead"] < 0:
            raise CommandError("--ahead must be 0 or more")
        archive = self._archive_month(options["archive_before"])
        output = Path(options["output"]) if options["output"] else None
        if output is not None and archive is None:
            raise CommandError("--output goes with --archive-before (or READINGS_RETENTION_MONTHS)")
        if not partitions.is_partitioned():
            message = "The readings table is not partitioned here (SQLite, or migration 0005 not applied): nothing to do."
            self.stdout.write(json.dumps({"partitioned": False}) if options["json"] else message)
            return
        try:
            report = partitions.maintain(ahead=options["ahead"], archive=archive, output=output)
        except FileExistsError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
            return
        self._describe(report)

    def _archive_month(self, text):
        if text:
            try:
                return partitions.parse_month(text)
            except ValueError as error:
                raise CommandError(str(error)) from error
        return partitions.retention_cutoff()

    def _describe(self, report):
        write = self.stdout.write
        months = lambda items: ", ".join(f"{m:%Y-%m}" for m in items) or "none"
        write(f"Created partitions: {months(report.created)}; already there: {months(report.existing)}.")
        for month, rows in report.moved.items():
            write(f"Moved {rows} readings of {month:%Y-%m} out of the DEFAULT partition.")
        for entry in report.archived:
            done = f"written to {entry['file']} and dropped" if entry["dropped"] else \
                "detached (still a table of its own; --output writes it out and drops it)"
            write(f"{entry['table']} ({entry['rows']} readings): {done}.")
        if report.default_rows:
            held = ", ".join(f"{m:%Y-%m}: {n}" for m, n in sorted(report.default_rows.items()))
            self.stderr.write(f"The DEFAULT partition holds readings of months without a partition ({held}).")
