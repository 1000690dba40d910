"""A throw-away portal (SQLite in a temporary directory unless DATABASE_URL is set) with the
demo data and the demo inventory of enterprise A certified: shared by the certificates benches."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str | None = None) -> str:
    if not os.environ.get("DATABASE_URL"):
        os.environ["CARBON_PORTAL_VAR_DIR"] = var_dir or tempfile.mkdtemp(prefix="bench-certificates-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbon_portal.settings.embedded")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()
    return os.environ.get("CARBON_PORTAL_VAR_DIR", "")


def certified_demo():
    """Migrate, load the library and the demo data, certify inventory A; returns its labels."""
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_factor_library", verbosity=0)
    from carbon_portal.accounts.models import User, VerifierBody
    from carbon_portal.demo import seed_demo
    from certificates.models import Label
    from certificates.services import issue_inventory_labels
    from inventories.models import Inventory

    seed_demo()
    inventory = Inventory.objects.get(enterprise__name="杭州青山建材有限公司", year=2025)
    existing = list(Label.objects.filter(inventory=inventory, is_current=True))
    if existing:
        return existing
    if inventory.status != "certified":
        Inventory.objects.filter(pk=inventory.pk).update(status="certified")  # the bench skips the workflow
        inventory.refresh_from_db()
    return issue_inventory_labels(inventory=inventory, issued_by=User.objects.get(username="admin"),
                                  verifier_body=VerifierBody.objects.get(accreditation_number="CNAS-GHG-DEMO-001"))
