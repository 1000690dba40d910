"""The carbon intensity L of the grading (DB33/T 1347-2023, REFERENCE.md).

L = energy-related CO2 of the period / industrial added value (tCO2 per 10^4 yuan). Energy-related
CO2 is fuel combustion plus net purchased electricity and heat (exports subtracted), i.e. the
inventory total without industrial process emissions. The inventory's own
`intensity_tco2e_per_10k_yuan` (total including process emissions) is shown beside it.
"""

from decimal import Decimal

ENERGY_CATEGORIES = ("fuel_combustion", "purchased_electricity", "purchased_heat",
                     "exported_electricity", "exported_heat")


def energy_related_tco2(result) -> Decimal:
    """Sum of the (signed) energy categories of a CalculationResult's `by_category`."""
    return sum((Decimal(str(result.by_category.get(category, "0"))) for category in ENERGY_CATEGORIES), Decimal(0))


def carbon_intensity(result) -> Decimal | None:
    if not result.added_value_10k_yuan:
        return None
    return energy_related_tco2(result) / result.added_value_10k_yuan
