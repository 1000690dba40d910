"""Loads the GB/T 2260 region table from fixtures/regions_gbt2260.json (idempotent: adds what is
missing, corrects what changed). A later edition: regenerate the file and add a migration that
runs the same function (docs/reference.md, "Region codes")."""

from django.db import migrations


def load(apps, schema_editor):
    from carbon_portal.core.regions import load_region_table

    load_region_table(apps.get_model("core", "Region"))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_region"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
