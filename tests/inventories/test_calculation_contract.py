"""inventories.calculation.contract: the docs/interfaces.md §3 example, worked by hand, and bad input."""

import copy
import json
from decimal import Decimal as D

import pytest

from inventories.calculation import CalculationError, load_default_library, run_contract_input

EXAMPLE = {
    "period": {"start": "2025-01-01", "end": "2025-12-31"},
    "added_value_10k_yuan": "8000",
    "industry_average_intensity": "1.1",
    "lines": [
        {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "350000", "unit": "m3"},
        {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1200", "unit": "t",
         "ncv": "21.5", "ncv_unit": "GJ/t", "carbon_content": "26.0", "carbon_content_unit": "tC/TJ",
         "oxidation_rate": "0.93"},
        {"category": "process", "description": "limestone", "quantity": "500", "unit": "t",
         "emission_factor": "0.405", "emission_factor_unit": "tCO2/t"},
        {"category": "purchased_electricity", "quantity": "2400000", "unit": "kWh",
         "emission_factor": "0.5366", "emission_factor_unit": "tCO2/MWh"},
        {"category": "purchased_heat", "quantity": "5000", "unit": "GJ"},
        {"category": "exported_electricity", "quantity": "100", "unit": "MWh"},
    ],
}

# By hand:
# 0 natural gas: 350000 m3 = 35 ×10^4 Nm3; AD = 35 × 389.31 = 13625.85 GJ;
#   E = 13625.85 × 0.0153 × 0.99 × 44/12 = 756.76608315; energy = 35 × 13.300 = 465.5 tce
GAS = D("13625.85") * D("0.0153") * D("0.99") * 44 / 12
# 1 raw coal, measured: AD = 1200 × 21.5 = 25800 GJ; E = 25800 × 0.026 × 0.93 × 44/12 = 2287.428;
#   energy = 25800 / 29.3076 = 880.3177... tce
COAL = D("25800") * D("0.026") * D("0.93") * 44 / 12
COAL_TCE = D("25800") / D("29.3076")
# 2 limestone: 500 × 0.405 = 202.5
PROCESS = D("500") * D("0.405")
# 3 electricity: 2400 MWh × 0.5366 = 1287.84; energy 2,400,000 kWh × 0.1229 kgce/kWh = 294.96 tce
ELECTRICITY = D("2400") * D("0.5366")
# 4 heat: 5000 GJ × 0.11 = 550; energy 5,000,000 MJ × 0.03412 kgce/MJ = 170.6 tce
HEAT = D("5000") * D("0.11")
# 5 exported: 100 MWh × 0.5306 (2023, the latest data year <= 2025) = 53.06, subtracted; energy 100 × 0.1229
EXPORTED = D("100") * D("0.5306")
TOTAL = GAS + COAL + PROCESS + ELECTRICITY + HEAT - EXPORTED  # 5031.47408315
ENERGY = D("465.5") + COAL_TCE + D("294.96") + D("170.6") - D("12.29")  # 1799.0877333...
# L counts energy-related CO2 only (docs/reference.md grading): the total less the 202.5 t of process CO2.
INTENSITY = (TOTAL - D("202.5")) / D("8000")  # 0.60362176...
K = INTENSITY / D("1.1")  # 0.54874705...


@pytest.fixture(scope="module")
def library():
    return load_default_library()


@pytest.fixture(scope="module")
def output(library):
    return run_contract_input(copy.deepcopy(EXAMPLE), library)


def test_hand_figures():
    assert GAS == D("756.76608315")
    assert COAL == D("2287.428")
    assert TOTAL == D("5031.47408315")


def test_example_totals(output):
    assert output["total_tco2e"] == "5031.474083" == f"{TOTAL:.6f}"
    assert output["by_category"] == {
        "fuel_combustion": f"{GAS + COAL:.6f}",  # 3044.194083
        "process": "202.500000",
        "purchased_electricity": "1287.840000",
        "purchased_heat": "550.000000",
        "exported_electricity": "-53.060000",
        "exported_heat": "0.000000",
    }
    assert output["energy_tce"] == f"{ENERGY:.6f}" == "1799.087733"
    assert output["energy_related_tco2e"] == f"{TOTAL - D('202.5'):.6f}" == "4828.974083"
    assert output["intensity_tco2e_per_10k_yuan"] == f"{INTENSITY:.6f}" == "0.603622"
    assert output["efficiency_value_k"] == f"{K:.6f}" == "0.548747"
    assert output["grade"] == 1  # K <= 0.6
    assert output["band"] == "medium"  # 0.6 < L <= 2.0


def test_example_lines(output):
    lines = output["lines"]
    assert [line["index"] for line in lines] == [0, 1, 2, 3, 4, 5]
    assert [line["tco2e"] for line in lines] == ["756.766083", "2287.428000", "202.500000", "1287.840000",
                                                 "550.000000", "53.060000"]
    assert lines[0]["activity_gj"] == "13625.850000"
    assert lines[1]["activity_gj"] == "25800.000000"
    assert "activity_gj" not in lines[3]  # electricity: activity in MWh
    for line in lines:
        assert {"index", "tco2e", "factors", "formula", "source"} <= set(line)
    assert lines[1]["formula"] == ("E = FC × NCV × CC × OF × 44/12 = 1200 t × 21.5 GJ/t × 0.026 tC/GJ × 0.93 × 44/12 "
                                   "= 2287.428000 tCO2")
    assert lines[5]["factors"]["emission_factor"]["data_year"] == 2023
    assert lines[5]["factors"]["emission_factor"]["origin"] == "library"
    assert lines[3]["factors"]["emission_factor"]["origin"] == "line"


def test_output_is_json_with_decimal_strings(output):
    text = json.dumps(output, ensure_ascii=False)
    assert "e+" not in text.lower().replace("page", "")
    for key in ("total_tco2e", "energy_tce", "intensity_tco2e_per_10k_yuan", "efficiency_value_k"):
        assert isinstance(output[key], str)
    assert output["factor_library"] == {"code": "cn-default", "version": "2026.1"}
    assert output["warnings"] == []


def test_without_added_value_the_grading_keys_are_null(library):
    data = copy.deepcopy(EXAMPLE)
    del data["added_value_10k_yuan"]
    output = run_contract_input(data, library)
    assert output["total_tco2e"] == "5031.474083"
    for key in ("intensity_tco2e_per_10k_yuan", "efficiency_value_k", "grade", "band"):
        assert output[key] is None
    assert output["warnings"]


def test_without_industry_average_band_but_no_grade(library):
    data = copy.deepcopy(EXAMPLE)
    del data["industry_average_intensity"]
    output = run_contract_input(data, library)
    assert (output["band"], output["efficiency_value_k"], output["grade"]) == ("medium", None, None)


def test_net_exporter_gets_no_band(library):
    output = run_contract_input({"period": {"start": "2025-01-01", "end": "2025-12-31"}, "added_value_10k_yuan": "10",
                                 "lines": [{"category": "exported_heat", "quantity": "10", "unit": "GJ"}]}, library)
    assert output["total_tco2e"] == "-1.100000"
    assert output["intensity_tco2e_per_10k_yuan"] == "-0.110000"
    assert output["band"] is None and output["grade"] is None


def _with(**changes):
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def _with_line(index, **changes):
    data = copy.deepcopy(EXAMPLE)
    data["lines"][index].update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "input must be a JSON object"),
        (_with(period=None), "period is required"),
        (_with(period={"start": "2025-01-01"}), "period.end None is not a date"),
        (_with(period={"start": "2025/01/01", "end": "2025-12-31"}), "period.start '2025/01/01' is not a date"),
        (_with(period={"start": "2025-12-31", "end": "2025-01-01"}), "period.start 2025-12-31 is after period.end"),
        (_with(added_value_10k_yuan="0"), "added_value_10k_yuan must be positive"),
        (_with(added_value_10k_yuan="much"), "added_value_10k_yuan 'much' is not a number"),
        (_with(industry_average_intensity="-1"), "industry_average_intensity must be positive"),
        (_with(lines=[]), "lines must be a non-empty list"),
        (_with(lines=None), "lines must be a non-empty list"),
        (_with_line(2, fuel="x"), "line 2: fuel does not apply to process"),
        (_with_line(0, fuel="anthracitex"), "line 0: unknown fuel 'anthracitex'"),
        (_with_line(3, unit="t"), "line 3: cannot convert unit 't' for purchased_electricity"),
        (_with_line(1, quantity="-1200"), "line 1: quantity must not be negative"),
        (_with_line(1, quantity="12OO"), "line 1: quantity '12OO' is not a number"),
        (_with_line(2, emission_factor=None), "line 2: emission_factor is required"),
    ],
)
def test_bad_input_is_one_line_error(library, data, message):
    with pytest.raises(CalculationError) as error:
        run_contract_input(data, library)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
