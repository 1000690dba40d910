"""The security log as CSV, safe to open in a spreadsheet: a cell that begins with = + - @ (or a
tab or carriage return) is prefixed with a single quote, so that it is never run as a formula."""

import csv
import json

from django.utils import timezone
from django.utils.translation import gettext as _

from carbon_portal.core.spreadsheets import spreadsheet_safe  # the one helper of every export


def header() -> list[str]:
    return [_("time"), _("kind"), _("outcome"), _("user id"), _("user name"), _("client address"),
            _("user agent"), _("path"), _("details")]


def row(event) -> list[str]:
    return [spreadsheet_safe(value) for value in (
        timezone.localtime(event.created_at).isoformat(timespec="seconds"), event.kind, event.outcome,
        event.user_id or "", event.username, event.address or "", event.user_agent, event.path,
        json.dumps(event.details, ensure_ascii=False, sort_keys=True),
    )]


def write_csv(events, stream) -> None:
    writer = csv.writer(stream)
    writer.writerow(header())
    for event in events.iterator(chunk_size=2000):
        writer.writerow(row(event))
