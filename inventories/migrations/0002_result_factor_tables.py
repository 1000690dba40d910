"""Result lines point at their result's distinct factor tables instead of each keeping a copy."""

from django.db import migrations, models


def share_factor_tables(apps, schema_editor):
    CalculationResult = apps.get_model("inventories", "CalculationResult")
    ResultLine = apps.get_model("inventories", "ResultLine")
    for result in CalculationResult.objects.iterator():
        tables, positions = [], {}
        for line in ResultLine.objects.filter(result=result).order_by("index").iterator():
            key = repr(line.factors)
            if key not in positions:
                positions[key] = len(tables)
                tables.append(line.factors)
            ResultLine.objects.filter(pk=line.pk).update(factor_table=positions[key])
        CalculationResult.objects.filter(pk=result.pk).update(factor_tables=tables)


def copy_factor_tables_back(apps, schema_editor):
    CalculationResult = apps.get_model("inventories", "CalculationResult")
    ResultLine = apps.get_model("inventories", "ResultLine")
    for result in CalculationResult.objects.iterator():
        for line in ResultLine.objects.filter(result=result).iterator():
            ResultLine.objects.filter(pk=line.pk).update(factors=result.factor_tables[line.factor_table])


class Migration(migrations.Migration):
    dependencies = [("inventories", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="calculationresult",
            name="factor_tables",
            field=models.JSONField(
                default=list, verbose_name="factor tables of the lines",
                help_text="Each distinct table of factors the lines used, stored once; a line points at its table."),
        ),
        migrations.AddField(
            model_name="resultline",
            name="factor_table",
            field=models.PositiveIntegerField(null=True, verbose_name="factor table"),
        ),
        migrations.AlterField(model_name="resultline", name="factors",
                              field=models.JSONField(null=True, verbose_name="factors")),
        migrations.RunPython(share_factor_tables, copy_factor_tables_back),
        migrations.RemoveField(model_name="resultline", name="factors"),
        migrations.AlterField(
            model_name="resultline",
            name="factor_table",
            field=models.PositiveIntegerField(help_text="Position in the result's factor tables.",
                                              verbose_name="factor table"),
        ),
    ]
