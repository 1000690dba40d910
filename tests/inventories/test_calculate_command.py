import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = {
    "period": {"start": "2025-01-01", "end": "2025-12-31"},
    "added_value_10k_yuan": "8000",
    "industry_average_intensity": "1.1",
    "lines": [
        {"category": "purchased_electricity", "quantity": "2400000", "unit": "kWh",
         "emission_factor": "0.5366", "emission_factor_unit": "tCO2/MWh"},
        {"category": "purchased_heat", "quantity": "5000", "unit": "GJ"},
    ],
}


def run(tmp_path, data, capsys):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    call_command("calculate", str(path), "--json")
    return json.loads(capsys.readouterr().out)


def test_prints_the_contract_json(factor_set, tmp_path, capsys):
    output = run(tmp_path, EXAMPLE, capsys)
    # 2,400 MWh × 0.5366 + 5,000 GJ × 0.11 = 1,287.84 + 550
    assert output["total_tco2e"] == "1837.840000"
    # L = 1837.84 / 8000 = 0.22973; K = L / 1.1 = 0.208845... -> grade 1, band low
    assert output["intensity_tco2e_per_10k_yuan"] == "0.229730"
    assert output["efficiency_value_k"] == "0.208845"
    assert (output["grade"], output["band"]) == (1, "low")
    assert [line["index"] for line in output["lines"]] == [0, 1]


def test_uses_the_library_in_the_database(factor_set, tmp_path, capsys):
    output = run(tmp_path, {"period": {"start": "2025-01-01", "end": "2025-12-31"},
                            "lines": [{"category": "purchased_heat", "quantity": "1", "unit": "GJ"}]}, capsys)
    assert output["factor_library"] == {"code": factor_set.code, "version": factor_set.version}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"period": {"start": "2025-01-01", "end": "2025-12-31"},
          "lines": [{"category": "fuel_combustion", "fuel": "unobtainium", "quantity": "1", "unit": "t"}]},
         "line 0: unknown fuel"),
        ({"period": {"start": "2025-12-31", "end": "2025-01-01"},
          "lines": [{"category": "purchased_heat", "quantity": "1", "unit": "GJ"}]}, "after"),
    ],
)
def test_bad_input_is_a_command_error(factor_set, tmp_path, capsys, data, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, data, capsys)


@pytest.mark.slow
def test_exit_code_and_one_line_on_stderr(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"period": {"start": "2025-01-01", "end": "2025-12-31"},
                                "lines": [{"category": "purchased_electricity", "quantity": "-5", "unit": "kWh"}]}))
    # A machine where the portal's database was never set up: the shipped library is used.
    env = {**os.environ, "CARBON_PORTAL_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "carbon_portal.settings.embedded"}
    completed = subprocess.run([sys.executable, "manage.py", "calculate", str(path), "--json"], cwd=REPO,
                               capture_output=True, text=True, timeout=120, env=env)
    assert completed.returncode != 0
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "line 0: quantity must not be negative" in lines[0]


@pytest.mark.slow
def test_runs_without_a_database(tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(EXAMPLE))
    env = {**os.environ, "CARBON_PORTAL_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "carbon_portal.settings.embedded"}
    completed = subprocess.run([sys.executable, "manage.py", "calculate", str(path), "--json"], cwd=REPO,
                               capture_output=True, text=True, timeout=120, env=env)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["total_tco2e"] == "1837.840000"


@pytest.mark.parametrize("quantity", ["１２３", "١٢٣", "1_000"])
def test_digits_other_than_ascii_are_an_error_naming_the_line(factor_set, tmp_path, capsys, quantity):
    data = {"period": {"start": "2025-01-01", "end": "2025-12-31"},
            "lines": [{"category": "purchased_heat", "quantity": "1", "unit": "GJ"},
                      {"category": "purchased_heat", "quantity": quantity, "unit": "GJ"}]}
    with pytest.raises(CommandError, match="line 1: quantity .* is not a number"):
        run(tmp_path, data, capsys)

