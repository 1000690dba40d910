"""How long an inventory of 10,000 activity lines takes to calculate and store.

    .venv/bin/python bench/calculation.py [--lines 10000]

Target: under 0.5 s on the reference machine (2 cores). Uses the configured database
(DATABASE_URL for PostgreSQL, else a throw-away SQLite file). Like the web and Celery worker
processes, it freezes what it has loaded before measuring (carbon_portal/startup.py).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["CARBON_PORTAL_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-calc-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbon_portal.settings.embedded")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_factor_library", verbosity=0)
    from carbon_portal.demo import seed_demo

    seed_demo()
    from carbon_portal.startup import freeze_loaded_objects

    freeze_loaded_objects()  # as the web and worker processes do once started

    from decimal import Decimal

    from carbon_portal.accounts.models import Enterprise, User
    from inventories.models import ActivityRecord, Inventory
    from inventories.services import calculate_inventory, create_inventory

    officer = User.objects.get(username="officer_b")
    enterprise = Enterprise.objects.get(memberships__user=officer)
    Inventory.objects.filter(enterprise=enterprise, year=2030).delete()
    inventory = create_inventory(enterprise=enterprise, year=2030, created_by=officer,
                                 added_value_10k_yuan=Decimal("12000"))
    templates = [
        dict(category="fuel_combustion", fuel="natural_gas", unit="m3"),
        dict(category="fuel_combustion", fuel="raw_coal", unit="t"),
        dict(category="fuel_combustion", fuel="diesel", unit="L"),
        dict(category="purchased_electricity", unit="kWh"),
        dict(category="purchased_heat", unit="GJ"),
        dict(category="process", unit="t", parameters={"emission_factor": "0.405",
                                                      "emission_factor_unit": "tCO2/t"}),
    ]
    ActivityRecord.objects.bulk_create(
        [ActivityRecord(inventory=inventory, created_by=officer, quantity=Decimal(100 + index % 997),
                        **templates[index % len(templates)]) for index in range(args.lines)],
        batch_size=2000,
    )
    timings, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = calculate_inventory(inventory=inventory, calculated_by=officer)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print("each run:", " ".join(f"{t:.3f}" for t in timings))
    vendor = connection.vendor
    print(f"database: {vendor}")
    print(f"lines: {result.lines.count()}  total: {result.total_tco2e} tCO2e")
    print(f"calculate and store {args.lines} lines: best {min(timings):.3f} s, "
          f"median {sorted(timings)[len(timings) // 2]:.3f} s (target < 0.5 s)")
    print(f"  CPU time of this process: best {min(cpu):.3f} s (the wall time includes waiting for the database "
          f"and for other processes on a busy machine)")


if __name__ == "__main__":
    main()
