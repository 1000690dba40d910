"""python manage.py extract_invoice FILE --json (docs/interfaces.md §3)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SAMPLES = Path(__file__).parent / "samples"
ROOT = Path(__file__).resolve().parents[2]
KEYS = {"invoice_number", "issue_date", "seller_name", "seller_tax_id", "buyer_name", "buyer_tax_id", "lines",
        "total_amount", "total_tax", "total_with_tax", "method", "confidence", "warnings"}


def run(*args) -> str:
    out = io.StringIO()
    call_command("extract_invoice", *args, stdout=out)
    return out.getvalue()


def test_json_output_matches_the_contract():
    data = json.loads(run(str(SAMPLES / "text_natural_gas_special.pdf"), "--json"))
    expected = json.loads((SAMPLES / "text_natural_gas_special.json").read_text(encoding="utf-8"))
    assert KEYS | {"invoice_code"} == set(data)
    assert {key: value for key, value in data.items() if key != "confidence"} == expected
    assert 0 <= data["confidence"] <= 1
    for line in data["lines"]:
        assert {"description", "energy_type", "quantity", "unit", "amount"} <= set(line)


def test_digital_invoice_has_no_code():
    data = json.loads(run(str(SAMPLES / "text_electricity_digital.pdf"), "--json"))
    assert "invoice_code" not in data and set(data) == KEYS


def test_summary_without_json():
    out = run(str(SAMPLES / "text_diesel_digital.pdf"))
    assert "25442000000013372409" in out and "diesel" in out and "65065.39" in out


@pytest.mark.parametrize("name", ["letter.pdf", "missing.pdf"])
def test_bad_input_raises_command_error(name):
    with pytest.raises(CommandError) as error:
        run(str(SAMPLES / name), "--json")
    assert "\n" not in str(error.value)


@pytest.mark.slow
@pytest.mark.parametrize("setup, words", [
    (lambda tmp: SAMPLES / "letter.pdf", "not look like an invoice"),
    (lambda tmp: tmp / "absent.pdf", "no such file"),
    (lambda tmp: (tmp / "fake.pdf").write_text("hello") and tmp / "fake.pdf", "not a PDF, PNG, JPEG or TIFF"),
])
def test_cli_exit_code_and_one_line_on_stderr(tmp_path, setup, words):
    path = setup(tmp_path)
    done = subprocess.run([sys.executable, "manage.py", "extract_invoice", str(path), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]


@pytest.mark.slow
def test_cli_success_prints_json_only():
    done = subprocess.run([sys.executable, "manage.py", "extract_invoice", str(SAMPLES / "text_coal_special.pdf"),
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["invoice_code"] == "032002400411"
