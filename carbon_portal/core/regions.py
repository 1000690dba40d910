"""The GB/T 2260 region table: code -> name of the provinces, prefectures and counties.

The table (`Region`) is reference data loaded by migration from fixtures/regions_gbt2260.json
(docs/reference.md, "Region codes"); it changes only by migration, so it is read once per process
and kept. An empty table (before `migrate`, or after a test has flushed the database) is read
from the same file.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FIXTURE = settings.BASE_DIR / "fixtures" / "regions_gbt2260.json"
LEVELS = ("province", "prefecture", "county")
# Parts of a name that say nothing on their own: the NBS placeholders ("市辖区", "县") if a
# table ever has them.
PLACEHOLDERS = frozenset({"市辖区", "县"})


@functools.cache
def fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def parent_code(code: str, codes) -> str | None:
    """The nearest level above `code` present in `codes`: 330106 -> 330100 -> 330000;
    110105 -> 110000 (the municipalities have no prefecture level in the MCA list)."""
    for parent in (code[:4] + "00", code[:2] + "0000"):
        if parent != code and parent in codes:
            return parent
    return None


def load_region_table(region_model) -> tuple[int, int]:
    """Bring the `Region` table in line with the fixture: add the codes it lacks, correct changed
    names, levels and parents (a code no longer listed is kept: enterprises may still use it).
    Idempotent; for data migrations (pass the historical model). Returns (added, updated)."""
    rows = {code: (name, level) for code, name, level in fixture()["regions"]}
    existing = {region.code: region for region in region_model.objects.all()}
    added, changed = [], []
    for code, (name, level) in sorted(rows.items()):
        parent = parent_code(code, rows)
        region = existing.get(code)
        if region is None:
            added.append(region_model(code=code, name=name, level=level, parent_id=parent))
        elif (region.name, region.level, region.parent_id) != (name, level, parent):
            region.name, region.level, region.parent_id = name, level, parent
            changed.append(region)
    region_model.objects.bulk_create(added, batch_size=1000)
    region_model.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=1000)
    return len(added), len(changed)


@dataclass(frozen=True)
class Entry:
    name: str
    level: str
    full_name: str


def _join(parts: list[str]) -> str:
    """Province + prefecture + county, without saying a part twice: 北京市 + 朝阳区, not
    北京市北京市朝阳区; 湖北省 + 省直辖县级行政区划 -> 湖北省直辖县级行政区划."""
    text = ""
    for part in parts:
        if not part or part in PLACEHOLDERS or text.endswith(part):
            continue
        for overlap in ("自治区", "省"):
            if text.endswith(overlap) and part.startswith(overlap) and part != overlap:
                part = part[len(overlap):]
                break
        text += part
    return text


@functools.cache
def _table() -> dict[str, Entry]:
    from .models import Region

    rows = {code: (name, level) for code, name, level in Region.objects.values_list("code", "name", "level")}
    if not rows:
        rows = {code: (name, level) for code, name, level in fixture()["regions"]}
    table = {}
    for code in sorted(rows):
        name, level = rows[code]
        chain, parent = [name], parent_code(code, rows)
        while parent is not None:
            # The groups of counties directly under a province (429000 省直辖县级行政区划) are
            # no part of a county's name: 429004 is 湖北省仙桃市.
            if parent[2:] != "9000":
                chain.insert(0, rows[parent][0])
            parent = parent_code(parent, rows)
        table[code] = Entry(name=name, level=level, full_name=_join(chain))
    return table


def clear_cache() -> None:
    """Forget the table read (tests; a migration loading a new edition takes a restart anyway)."""
    _table.cache_clear()


def region_name(code: str) -> str:
    """The full name of a code: 330106 -> 浙江省杭州市西湖区, 330100 -> 浙江省杭州市,
    110105 -> 北京市朝阳区; an unknown code (or anything else) is returned as it is."""
    entry = _table().get(code) if isinstance(code, str) else None
    return entry.full_name if entry else ("" if code is None else str(code))


def region_label(code: str) -> str:
    """The name with the code for officials: "浙江省杭州市西湖区 (330106)"; an unknown code alone."""
    name = region_name(code)
    return f"{name} ({code})" if name != code and code else name


def is_known_region(code: str) -> bool:
    return isinstance(code, str) and code in _table()


def region_level(code: str) -> str | None:
    entry = _table().get(code) if isinstance(code, str) else None
    return entry.level if entry else None


def region_prefix(code: str) -> str:
    """The code prefix of a region and all it contains: 330000 -> 33, 330100 -> 3301, 330106 -> 330106."""
    for _step in range(2):
        if code.endswith("00"):
            code = code[:-2]
    return code


def region_choices(*, levels=LEVELS, within: str | None = None) -> list[tuple[str, str]]:
    """(code, full name) of the regions of these levels, sorted by code; `within`: a code prefix
    ("33", "3301") or a region code (330000 = Zhejiang and everything in it)."""
    prefix = region_prefix(within) if within and len(within) == 6 else (within or "")
    return [(code, entry.full_name) for code, entry in _table().items()
            if entry.level in levels and code.startswith(prefix)]


def region_edition() -> str:
    """Which edition of GB/T 2260 the table is, for page footers and methodology notes."""
    meta = fixture()
    chinese = (get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")
    return _("Region names: %(standard)s, %(edition)s (via %(source)s).") % {
        "standard": "GB/T 2260", "edition": meta["edition"] if chinese else meta["edition_en"],
        "source": meta["source"].split(" (")[0].removeprefix("npm "),
    }
