"""Every screen reads in Chinese: each catalogue has a translation for every message, none fuzzy."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(path.relative_to(ROOT) for path in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
                    if ".venv" not in path.parts)


def _entries(text: str):
    """(flags, msgid, translations) of each entry after the header."""
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        flags = {flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")}
        fields, current = {}, None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            yield flags, fields["msgid"], [value for key, value in fields.items() if key.startswith("msgstr")]


def test_there_are_catalogues():
    assert Path("locale/zh_Hans/LC_MESSAGES/django.po") in CATALOGUES
    assert Path("certificates/locale/zh_Hans/LC_MESSAGES/django.po") in CATALOGUES


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=str)
def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    entries = list(_entries((ROOT / catalogue).read_text(encoding="utf-8")))
    assert len(entries) > 20
    fuzzy = [msgid for flags, msgid, _ in entries if "fuzzy" in flags]
    untranslated = [msgid for _, msgid, translations in entries if not translations or not all(translations)]
    assert fuzzy == []
    assert untranslated == []
