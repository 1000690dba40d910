"""Writes of inventories, activity data, the factor library and results; one transaction each.

Activity data is written by `inventories.activity` (`add_activity`, `add_activity_batch`,
`correct_activity`, `remove_activity`), re-exported here.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from carbon_portal.accounts.models import Enterprise

from .activity import (  # noqa: F401 (re-exported)
    ActivityBatch,
    InvalidLines,
    LineRefused,
    NewActivity,
    add_activity,
    add_activity_batch,
    correct_activity,
    remove_activity,
)
from .calculation import CalculationError, calculate, format_decimal, parse_lines
from .double_counts import calculation_exclusions, ensure_no_unresolved_double_count
from .models import (
    CalculationResult,
    FactorSet,
    FactorValue,
    Inventory,
)
from .models.inventories import activity_line
from .repositories import ResultLineRow, insert_result_lines
from .selectors import current_factor_set, factor_library

FACTOR_VALUE_FIELDS = ("subject", "parameter", "value", "unit", "programme", "region", "data_year",
                       "valid_from", "valid_until", "source", "note")


class FactorLibraryConflict(ValidationError):
    pass


@transaction.atomic
def load_factor_library(*, data: dict, make_current: bool = True) -> tuple[FactorSet, bool]:
    """Store a factor set from the fixture structure. Loading the same edition again changes
    nothing; an edition whose values differ from the stored one under the same version is
    refused, because results refer to editions by version. Returns (set, created)."""
    factor_library_from(data)  # validates the structure and every value before anything is stored
    existing = FactorSet.objects.filter(code=data["code"], version=data["version"]).first()
    if existing:
        if _normalised_values(existing.as_library_dict()["values"]) != _normalised_values(data["values"]):
            raise FactorLibraryConflict(
                f"factor set {data['code']} {data['version']} is already loaded with other values; "
                "publish the change under a new version"
            )
        factor_set, created = existing, False
    else:
        factor_set = FactorSet.objects.create(
            code=data["code"], version=data["version"], name_zh=data["name_zh"], name_en=data["name_en"],
            description=data.get("description", ""), published_on=data["published_on"],
            subjects=data.get("subjects", {}),
        )
        FactorValue.objects.bulk_create(
            FactorValue(factor_set=factor_set, **{field: _value_field(entry, field) for field in FACTOR_VALUE_FIELDS})
            for entry in data["values"]
        )
        created = True
    if make_current and not factor_set.is_current:
        FactorSet.objects.filter(is_current=True).update(is_current=False)
        FactorSet.objects.filter(pk=factor_set.pk).update(is_current=True)
        factor_set.is_current = True
    return factor_set, created


def factor_library_from(data: dict):
    from .calculation import FactorLibrary

    try:
        return FactorLibrary.from_dict(data)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise ValidationError(f"invalid factor library: {error}") from error


def _value_field(entry: dict, field: str):
    value = entry.get(field)
    if field in ("programme", "region", "note") and value is None:
        return ""
    if field == "value":
        return Decimal(str(value))
    return value


def _normalised_values(values: list[dict]) -> list[tuple]:
    def key(entry):
        return tuple(
            format(Decimal(str(entry[field])).normalize(), "f") if field == "value" else (entry.get(field) or None)
            for field in FACTOR_VALUE_FIELDS
        )

    return sorted(key(entry) for entry in values)


@transaction.atomic
def create_inventory(
    *,
    enterprise: Enterprise,
    year: int,
    created_by,
    added_value_10k_yuan: Decimal | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Inventory:
    factor_set = current_factor_set()
    if factor_set is None:
        raise ValidationError("The factor library is not loaded: run `python manage.py load_factor_library`.")
    if Inventory.objects.filter(enterprise=enterprise, year=year).exists():
        raise ValidationError(f"{enterprise} already has an inventory for {year}.")
    inventory = Inventory(
        enterprise=enterprise,
        year=year,
        period_start=period_start or datetime.date(year, 1, 1),
        period_end=period_end or datetime.date(year, 12, 31),
        added_value_10k_yuan=added_value_10k_yuan,
        factor_set=factor_set,
        created_by=created_by,
    )
    inventory.full_clean(exclude=["status"])  # protected FSM field: full_clean would assign it
    inventory.save()
    return inventory


@transaction.atomic
def calculate_inventory(*, inventory: Inventory, calculated_by) -> CalculationResult:
    """Run the engine on the inventory's activity data with its factor-set edition and store
    the result, its trace and the snapshot of every factor value used.

    Possible double counting must be settled first (Conflict `double_count_unresolved`); the
    records a decision leaves out are not calculated, and the result lists them with the
    decision and its reason (`exclusions`)."""
    groups = ensure_no_unresolved_double_count(inventory)
    exclusions = calculation_exclusions(inventory, groups)
    records = list(inventory.activity_records.exclude(pk__in=[row["activity_record"] for row in exclusions])
                   .order_by("id").values_list("id", "category", "fuel", "description", "quantity", "unit",
                                               "parameters"))
    if not records:
        raise ValidationError("The inventory has no activity data to calculate.")
    inputs_by_line = [
        activity_line(category=category, fuel=fuel, description=description, quantity=quantity, unit=unit,
                      parameters=parameters)
        for _id, category, fuel, description, quantity, unit, parameters in records
    ]
    try:
        lines = parse_lines(inputs_by_line)
        outcome = calculate(
            lines,
            factor_library(inventory.factor_set),
            period_start=inventory.period_start,
            period_end=inventory.period_end,
            added_value_10k_yuan=inventory.added_value_10k_yuan,
        )
    except CalculationError as error:
        raise ValidationError(str(error)) from error
    intensity = outcome.intensity_tco2e_per_10k_yuan
    factor_tables, table_positions = [], {}
    for line in outcome.lines:  # the engine shares one dict per distinct table
        if id(line.factors) not in table_positions:
            table_positions[id(line.factors)] = len(factor_tables)
            factor_tables.append(line.factors)
    result = CalculationResult.objects.create(
        inventory=inventory,
        factor_set=inventory.factor_set,
        factor_snapshot=[dict(value) for value in outcome.factors_used],
        factor_tables=factor_tables,
        total_tco2e=_stored(outcome.total_tco2e),
        by_category={category: format_decimal(value) for category, value in outcome.by_category.items()},
        energy_tce=_stored(outcome.energy_tce),
        energy_related_tco2e=_stored(outcome.energy_related_tco2e),
        added_value_10k_yuan=inventory.added_value_10k_yuan,
        intensity_tco2e_per_10k_yuan=None if intensity is None else _stored(intensity),
        calculated_by=calculated_by,
        exclusions=exclusions,
    )
    insert_result_lines(
        result,
        [
            ResultLineRow(
                index=line.index,
                activity_record_id=record[0],
                category=line.category,
                inputs=inputs,
                tco2e=_stored(line.tco2e),
                activity_gj=None if line.activity_gj is None else _stored(line.activity_gj),
                energy_tce=_stored(line.energy_tce),
                factor_table=table_positions[id(line.factors)],
                formula=line.formula,
                conversions=line.conversions,
            )
            for line, record, inputs in zip(outcome.lines, records, inputs_by_line)
        ],
    )
    return result


STORED_PLACES = Decimal("0.000001")


def _stored(value: Decimal) -> Decimal:
    """Results are stored to 6 decimal places (1 g of CO2e), the precision of the columns."""
    return value.quantize(STORED_PLACES)
