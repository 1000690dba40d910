"""From an energy type and a quantity (an invoice line, a meter's consumption) to an activity
line of docs/interfaces.md §3, which `inventories.services.add_activity` stores.

    electricity (kWh, MWh)                    -> purchased_electricity
    natural_gas (m3)                          -> fuel_combustion, fuel natural_gas
    heat, steam (GJ)                          -> purchased_heat
    diesel, gasoline, fuel_oil, lpg, raw_coal -> fuel_combustion with that fuel
    water, other                              -> not activity data

Whether the unit fits is left to the calculation engine, which says why when it does not
(steam in tonnes, for example, needs its enthalpy first).
"""

from __future__ import annotations

from decimal import Decimal

from inventories.choices import Category, EnergyType

NOT_ACTIVITY = frozenset({EnergyType.WATER, EnergyType.OTHER})
FUELS = frozenset({EnergyType.NATURAL_GAS, EnergyType.DIESEL, EnergyType.GASOLINE, EnergyType.FUEL_OIL,
                   EnergyType.LPG, EnergyType.RAW_COAL})


def category_for(energy_type: str) -> tuple[str, str] | None:
    """(category, fuel) for an energy type, or None when it is not activity data."""
    if energy_type == EnergyType.ELECTRICITY:
        return Category.PURCHASED_ELECTRICITY, ""
    if energy_type in (EnergyType.HEAT, EnergyType.STEAM):
        return Category.PURCHASED_HEAT, ""
    if energy_type in FUELS:
        return Category.FUEL_COMBUSTION, str(energy_type)
    return None


def activity_line(*, energy_type: str, quantity: Decimal | str, unit: str, description: str = "") -> dict | None:
    """The §3 line, or None for water and other lines that are not energy."""
    mapped = category_for(energy_type)
    if mapped is None:
        return None
    category, fuel = mapped
    line = {"category": str(category), "quantity": format(Decimal(quantity), "f"), "unit": unit}
    if fuel:
        line["fuel"] = fuel
    if description:
        line["description"] = description[:300]
    return line
