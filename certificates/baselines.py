"""Industry averages: set by an authority, or computed from the verified inventories of the
industry and year when at least INDUSTRY_BASELINE_MIN_INVENTORIES of them exist.

The computed average is the aggregate intensity of the industry: the sum of the energy-related
CO2 of its verified (or certified) inventories divided by the sum of their added value (each
inventory's latest result), which weights every enterprise by its size as a statistic does.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from carbon_portal.accounts.models import Industry
from inventories.choices import InventoryStatus
from inventories.models import CalculationResult, Inventory

from . import conf
from .models import IndustryBaseline

PUBLISHED_STATES = (InventoryStatus.VERIFIED, InventoryStatus.CERTIFIED)


@dataclass(frozen=True)
class IndustryAverage:
    value: Decimal
    basis: str  # "set" | "computed"
    source: str
    inventory_count: int | None

    def as_dict(self) -> dict:
        data = {"value": format(self.value.quantize(conf.DECIMAL_PLACES), "f"), "basis": self.basis,
                "source": self.source}
        if self.inventory_count is not None:
            data["inventories"] = self.inventory_count
        return data


def latest_results_of_industry(industry: Industry, year: int) -> list[CalculationResult]:
    inventories = Inventory.objects.filter(enterprise__industry=industry, year=year, status__in=PUBLISHED_STATES,
                                           added_value_10k_yuan__isnull=False)
    results = []
    for inventory in inventories:
        result = inventory.results.order_by("-calculated_at", "-id").first()
        if result is not None and result.added_value_10k_yuan:
            results.append(result)
    return results


def computed_average(industry: Industry, year: int) -> tuple[Decimal, int] | None:
    results = latest_results_of_industry(industry, year)
    if len(results) < conf.baseline_min_inventories():
        return None
    emissions = sum((result.energy_related_tco2e for result in results), Decimal(0))
    added_value = sum((result.added_value_10k_yuan for result in results), Decimal(0))
    if emissions <= 0 or added_value <= 0:
        return None
    return (emissions / added_value).quantize(conf.DECIMAL_PLACES), len(results)


def industry_average(industry: Industry, year: int) -> IndustryAverage | None:
    """The average K is computed against: the authority's if set, else computed, else None. Reads only."""
    baseline = IndustryBaseline.objects.select_related("authority").filter(industry=industry, year=year).first()
    if baseline and baseline.basis == IndustryBaseline.Basis.SET_BY_AUTHORITY:
        authority = baseline.authority.name if baseline.authority else ""
        source = "; ".join(part for part in (authority, baseline.source) if part)
        return IndustryAverage(baseline.average_intensity, baseline.basis, source, None)
    computed = computed_average(industry, year)
    if computed is None:
        return None
    value, count = computed
    source = f"Computed from {count} verified inventories of {industry.code} in {year}"
    return IndustryAverage(value, IndustryBaseline.Basis.COMPUTED, source, count)


@transaction.atomic
def resolve_industry_average(*, industry: Industry, year: int) -> IndustryAverage | None:
    """industry_average(); a computed average is also stored (refreshed) as a computed baseline so that
    government users see it. An authority's baseline is never overwritten."""
    average = industry_average(industry, year)
    if average is not None and average.basis == IndustryBaseline.Basis.COMPUTED:
        IndustryBaseline.objects.update_or_create(
            industry=industry, year=year,
            defaults={"average_intensity": average.value, "basis": IndustryBaseline.Basis.COMPUTED,
                      "authority": None, "source": average.source, "inventory_count": average.inventory_count},
        )
    return average


@transaction.atomic
def set_industry_baseline(*, industry: Industry, year: int, average_intensity: Decimal, authority, set_by,
                          source: str = "") -> IndustryBaseline:
    """An authority sets (or changes) the average of an industry and year. Labels already issued
    keep the average they were graded against (it is part of their signed figures)."""
    if not isinstance(average_intensity, Decimal) or not average_intensity.is_finite() or average_intensity <= 0:
        raise ValidationError("The average intensity must be a positive decimal number.")
    baseline, _created = IndustryBaseline.objects.update_or_create(
        industry=industry, year=year,
        defaults={"average_intensity": average_intensity, "basis": IndustryBaseline.Basis.SET_BY_AUTHORITY,
                  "authority": authority, "source": source, "inventory_count": None, "set_by": set_by},
    )
    baseline.full_clean()
    return baseline
