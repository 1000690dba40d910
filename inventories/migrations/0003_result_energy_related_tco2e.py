"""Results store their energy-related emissions (the numerator of the carbon intensity L), as the
engine computes them, instead of readers summing category names again."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Sum

# The categories of a result before this migration; energy-related = all but "process", exports negative.
ENERGY_CATEGORIES = {"fuel_combustion": 1, "purchased_electricity": 1, "purchased_heat": 1,
                     "exported_electricity": -1, "exported_heat": -1}
PLACES = Decimal("0.000001")
BATCH = 1000


def energy_related_from_categories(apps, schema_editor):
    """The sum of the energy categories: from the result's `by_category` (the engine's signed sums,
    exports already negative), or, where that is empty, from its lines (magnitudes, signed here)."""
    CalculationResult = apps.get_model("inventories", "CalculationResult")
    ResultLine = apps.get_model("inventories", "ResultLine")
    pks = list(CalculationResult.objects.filter(energy_related_tco2e__isnull=True).order_by("pk")
               .values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):  # not iterating the table while it is written (SQLite)
        results = list(CalculationResult.objects.filter(pk__in=pks[start:start + BATCH]).only("pk", "by_category"))
        for result in results:
            by_category = result.by_category or {}
            if by_category:
                value = sum((Decimal(str(by_category.get(category) or "0")) for category in ENERGY_CATEGORIES),
                            Decimal(0))
            else:
                sums = (ResultLine.objects.filter(result_id=result.pk, category__in=ENERGY_CATEGORIES)
                        .values_list("category").annotate(total=Sum("tco2e")).order_by())
                value = sum((ENERGY_CATEGORIES[category] * (total or 0) for category, total in sums), Decimal(0))
            result.energy_related_tco2e = value.quantize(PLACES)
        CalculationResult.objects.bulk_update(results, ["energy_related_tco2e"])


class Migration(migrations.Migration):
    dependencies = [("inventories", "0002_result_factor_tables")]

    operations = [
        migrations.AddField(
            model_name="calculationresult",
            name="energy_related_tco2e",
            field=models.DecimalField(decimal_places=6, max_digits=24, null=True,
                                      verbose_name="energy-related emissions (tCO2e)"),
        ),
        migrations.RunPython(energy_related_from_categories, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calculationresult",
            name="energy_related_tco2e",
            field=models.DecimalField(decimal_places=6, max_digits=24, verbose_name="energy-related emissions (tCO2e)"),
        ),
    ]
