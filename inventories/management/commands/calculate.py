import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from inventories.calculation import CalculationError, load_default_library
from inventories.calculation.contract import run_contract_input
from inventories.selectors import current_factor_library


class Command(BaseCommand):
    help = "Calculate an inventory described in a JSON file (docs/interfaces.md §3) with the portal's engine."

    def add_arguments(self, parser):
        parser.add_argument("input", help="the inventory as JSON; '-' reads standard input")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        data = self._read(options["input"])
        try:
            library = current_factor_library()
        except DatabaseError:
            # No database set up (yet): the library shipped with the portal; the output names it.
            library = load_default_library()
        try:
            result = run_contract_input(data, library)
        except CalculationError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"total: {result['total_tco2e']} tCO2e, energy: {result['energy_tce']} tce")
        for category, value in result["by_category"].items():
            self.stdout.write(f"  {category}: {value} tCO2e")
        if result.get("grade") is not None:
            self.stdout.write(f"intensity {result['intensity_tco2e_per_10k_yuan']}, "
                              f"K {result['efficiency_value_k']}, grade {result['grade']} ({result['band']})")

    def _read(self, name: str):
        import sys

        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {name}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{name} is not UTF-8 text") from error
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"{name} is not valid JSON: {error.msg} at line {error.lineno}") from error
