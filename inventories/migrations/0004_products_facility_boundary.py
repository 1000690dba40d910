"""The product catalogue of an enterprise (inventory products point at it and keep their own name
and declared unit), and a facility's boundary (GB/T 32150)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_enterprise_mfa_required_enrolment_code"),
        ("inventories", "0003_result_energy_related_tco2e"),
    ]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="boundary",
            field=models.TextField(blank=True, help_text="The organisational and operational boundary (GB/T 32150): "
                                   "what is inside the inventory and what is outside.", verbose_name="boundary"),
        ),
        migrations.CreateModel(
            name="Product",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("code", models.CharField(blank=True, max_length=64, verbose_name="product code or model number")),
                ("declared_unit", models.CharField(help_text="e.g. t, piece, m2", max_length=30,
                                                   verbose_name="declared unit")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("enterprise", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                 related_name="catalogue_products", to="accounts.enterprise",
                                                 verbose_name="enterprise")),
            ],
            options={
                "verbose_name": "catalogue product",
                "verbose_name_plural": "catalogue products",
                "ordering": ["enterprise", "name"],
                "constraints": [models.UniqueConstraint(fields=("enterprise", "name"), name="product_unique_name")],
            },
        ),
        migrations.AddField(
            model_name="inventoryproduct",
            name="product",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="inventory_entries", to="inventories.product",
                                    verbose_name="catalogue product"),
        ),
        migrations.AddConstraint(
            model_name="inventoryproduct",
            constraint=models.UniqueConstraint(fields=("inventory", "product"), name="inventory_product_once"),
        ),
    ]
