"""Decisions on possible double counting (the same energy of a facility from more than one
origin), and the records a calculation left out because of them. Written by hand: it holds only
these changes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("inventories", "0004_products_facility_boundary"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="calculationresult",
            name="exclusions",
            field=models.JSONField(blank=True, default=list, help_text="Each record left out of this calculation, with the decision and its reason.", verbose_name="records excluded as double counting"),
        ),
        migrations.CreateModel(
            name="DoubleCountDecision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("group_key", models.CharField(help_text="The group of records as it was shown when decided.", max_length=120, verbose_name="group")),
                ("counted", models.CharField(help_text="The origin whose records count, or 'all' when the records are distinct energy.", max_length=10, verbose_name="what counts")),
                ("reason", models.TextField(verbose_name="reason")),
                ("compared", models.JSONField(default=list, help_text="Each record as it was when decided: line, origin, period, counted.", verbose_name="records as compared")),
                ("decided_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="decided at")),
                ("decided_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="decided by")),
                ("inventory", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="double_count_decisions", to="inventories.inventory", verbose_name="inventory")),
            ],
            options={
                "verbose_name": "double-counting decision",
                "verbose_name_plural": "double-counting decisions",
                "ordering": ["inventory", "-decided_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="DoubleCountDecisionRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("counted", models.BooleanField(verbose_name="counted")),
                ("decision", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="entries", to="inventories.doublecountdecision", verbose_name="decision")),
                ("record", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="double_count_entries", to="inventories.activityrecord", verbose_name="activity record")),
            ],
            options={
                "verbose_name": "record of a double-counting decision",
                "verbose_name_plural": "records of double-counting decisions",
                "ordering": ["decision", "record"],
            },
        ),
        migrations.AddField(
            model_name="doublecountdecision",
            name="records",
            field=models.ManyToManyField(related_name="+", through="inventories.DoubleCountDecisionRecord", to="inventories.activityrecord", verbose_name="records compared"),
        ),
        migrations.AddConstraint(
            model_name="doublecountdecisionrecord",
            constraint=models.UniqueConstraint(fields=("decision", "record"), name="double_count_record_once"),
        ),
    ]
