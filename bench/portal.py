"""Latency of the main list pages with 10,000 inventories under 200 concurrent requests.

    .venv/bin/python bench/portal.py [--concurrency 200] [--requests 2000]

Builds the data once (10,000 inventories of 500 enterprises, each with a result; a share of
them verified, proposed to the demo verifier body, visible to the government user), starts
gunicorn on 127.0.0.1, sends a bounded number of requests over 200 concurrent keep-alive
connections (asyncio, loopback only) and prints p50/p95/max per page, then the number of SQL
queries per page for page sizes 10, 50 and 200 (it must not grow with the page size).
Target: p95 under 300 ms. It uses its own PostgreSQL database, BENCH_PORTAL_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/carbon_portal_portal_bench, created if missing),
never DATABASE_URL, so it cannot fill a real database with test inventories, and its own Redis
database for the cache, BENCH_PORTAL_CACHE_URL (default redis://127.0.0.1:6379/15), with the
API read cache on as in production (carbon_portal/api/read_cache.py); --no-read-cache measures
every answer computed afresh.
"""

import argparse
import asyncio
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/carbon_portal_portal_bench"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/15"
BENCH_PREFIX = "bench-"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inventories", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2_000, help="per page; bounded")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-connections", type=int, default=None,
                        help="per worker (gunicorn's default is 1000); by default the concurrency shared "
                             "among the workers with 10%% to spare, so that no worker queues more than its share")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-read-cache", action="store_true",
                        help="compute every answer (API_READ_CACHE_SECONDS=0)")
    args = parser.parse_args()
    if args.worker_connections is None:
        args.worker_connections = math.ceil(args.concurrency * 1.1 / args.workers)

    os.environ["DATABASE_URL"] = os.environ.get("BENCH_PORTAL_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "carbon_portal.settings.embedded"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"
    os.environ["CACHE_URL"] = os.environ.get("BENCH_PORTAL_CACHE_URL", DEFAULT_CACHE_URL)
    os.environ["API_READ_CACHE_SECONDS"] = "0" if args.no_read_cache else "30"
    _create_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/portal.py measures the production set-up: set BENCH_PORTAL_DATABASE_URL to PostgreSQL")
    tokens, ids = _prepare(args.inventories)
    pages = _pages(tokens, ids)
    print(f"database: PostgreSQL, {args.inventories} inventories; gunicorn {args.workers} workers x "
          f"{args.threads} threads, {args.worker_connections} connections each; {args.concurrency} concurrent "
          f"connections, {args.requests} requests per page after a warm-up; "
          f"API read cache {'off' if args.no_read_cache else 'on (Redis)'}")
    print(f"{'page':<52} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")
    server = _start_gunicorn(args)
    try:
        worst = 0.0
        for label, path, token, rows in pages:
            # Warm-up, not measured: every worker imports its views and fills its connection pools.
            asyncio.run(_load("127.0.0.1", args.port, path, token, args.concurrency, args.concurrency * 2))
            latencies, elapsed, failures = asyncio.run(
                _load("127.0.0.1", args.port, path, token, args.concurrency, args.requests))
            p50, p95 = _percentile(latencies, 50), _percentile(latencies, 95)
            worst = max(worst, p95)
            print(f"{label:<52} {rows:>5} {p50:>8.1f} {p95:>8.1f} {max(latencies):>8.1f} "
                  f"{len(latencies) / elapsed:>7.0f}" + (f"  ({failures} failed)" if failures else ""))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"worst p95: {worst:.1f} ms (target < 300 ms)")
    print()
    _query_counts(tokens, ids)


# --- Data ------------------------------------------------------------------------------------------


def _create_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def _prepare(count):
    from django.core.management import call_command
    from knox.models import AuthToken

    from carbon_portal.accounts.models import User
    from carbon_portal.demo import seed_demo
    from inventories.models import Inventory

    call_command("migrate", verbosity=0)
    call_command("load_factor_library", verbosity=0)
    seed_demo()
    if Inventory.objects.filter(enterprise__name__startswith=BENCH_PREFIX).count() < count:
        _build(count)
    tokens = {name: AuthToken.objects.create(user=User.objects.get(username=name))[1]
              for name in ("admin", "gov_1", "verifier_1", "officer_a")}
    some_id = Inventory.objects.filter(enterprise__name__startswith=BENCH_PREFIX).values_list("pk", flat=True).first()
    return tokens, {"inventory": some_id}


def _build(count):
    """Bulk-written: enterprises, inventories in all states, one result each, permissions."""
    import datetime
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.db import transaction

    from carbon_portal.accounts.models import Enterprise, User
    from carbon_portal.accounts.uscc import with_check_character
    from inventories.choices import InventoryStatus
    from inventories.models import CalculationResult, Inventory
    from inventories.selectors import current_factor_set
    from workflows.models import InventoryGroupObjectPermission
    from workflows.permissions import ensure_inventory_permissions, grant_enterprise_permissions, \
        verifier_body_group_name

    years = 20
    officer = User.objects.get(username="officer_a")
    factor_set = current_factor_set()
    states = list(InventoryStatus.values)
    with transaction.atomic():
        Enterprise.objects.bulk_create([
            Enterprise(name=f"{BENCH_PREFIX}{number:05d}", credit_code=with_check_character(f"9133010{number:010d}"),
                       industry_id=("C30", "C26", "C31", "D44")[number % 4],
                       region_code=("330106", "330203", "330402", "110105")[number % 4])
            for number in range(count // years + 1)
        ], ignore_conflicts=True)
        enterprises = list(Enterprise.objects.filter(name__startswith=BENCH_PREFIX).order_by("name"))
        Inventory.objects.bulk_create([
            Inventory(enterprise=enterprises[index // years], year=2006 + index % years,
                      period_start=datetime.date(2006 + index % years, 1, 1),
                      period_end=datetime.date(2006 + index % years, 12, 31),
                      added_value_10k_yuan=Decimal(5000 + index % 3000), factor_set=factor_set,
                      status=states[index % len(states)], created_by=officer)
            for index in range(count)
        ], batch_size=2000, ignore_conflicts=True)
        inventories = list(Inventory.objects.filter(enterprise__name__startswith=BENCH_PREFIX)
                           .only("pk", "enterprise_id", "status"))
        CalculationResult.objects.bulk_create([
            CalculationResult(inventory_id=inventory.pk, factor_set=factor_set, factor_snapshot={},
                              total_tco2e=Decimal(10000 + inventory.pk % 5000), by_category={},
                              energy_related_tco2e=Decimal(10000 + inventory.pk % 5000),
                              energy_tce=Decimal(4000), added_value_10k_yuan=Decimal(8000),
                              intensity_tco2e_per_10k_yuan=Decimal("1.25"), calculated_by=officer)
            for inventory in inventories
        ], batch_size=2000)
        grant_enterprise_permissions(*inventories)
        view = ensure_inventory_permissions()["view_inventory"]
        group, _created = Group.objects.get_or_create(
            name=verifier_body_group_name(officer.memberships.model.objects.filter(
                user__username="verifier_1").values_list("verifier_body_id", flat=True).get()))
        proposed = {"submitted", "verifying", "corrections_requested", "verified", "rejected", "certified"}
        InventoryGroupObjectPermission.objects.bulk_create([
            InventoryGroupObjectPermission(group=group, permission=view, content_object=inventory)
            for inventory in inventories if inventory.status in proposed
        ], batch_size=2000, ignore_conflicts=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _pages(tokens, ids):
    from inventories.selectors import inventories_visible_to

    from carbon_portal.accounts.models import User

    def rows(username):
        return inventories_visible_to(User.objects.get(username=username)).count()

    return [
        ("GET /api/v1/inventories (administrator, all)", "/api/v1/inventories", tokens["admin"], rows("admin")),
        ("GET /api/v1/inventories?page=100 (administrator)", "/api/v1/inventories?page=100", tokens["admin"],
         rows("admin")),
        ("GET /api/v1/inventories (government, jurisdiction)", "/api/v1/inventories", tokens["gov_1"],
         rows("gov_1")),
        ("GET /api/v1/inventories (verifier, guardian)", "/api/v1/inventories", tokens["verifier_1"],
         rows("verifier_1")),
        ("GET /api/v1/inventories (enterprise officer)", "/api/v1/inventories", tokens["officer_a"],
         rows("officer_a")),
        ("GET /api/v1/inventories?status=verified&year=2020", "/api/v1/inventories?status=verified&year=2020",
         tokens["admin"], rows("admin")),
        (f"GET /api/v1/inventories/{ids['inventory']} (administrator)", f"/api/v1/inventories/{ids['inventory']}",
         tokens["admin"], 1),
        ("GET /api/v1/engagements (verifier)", "/api/v1/engagements", tokens["verifier_1"], 0),
        ("GET /api/v1/notifications (officer)", "/api/v1/notifications", tokens["officer_a"], 0),
    ]


# --- Load --------------------------------------------------------------------------------------------


def _start_gunicorn(args):
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "carbon_portal.wsgi:application",
               "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers), "--threads", str(args.threads),
               "--worker-class", "gthread", "--worker-connections", str(args.worker_connections),
               "--backlog", "2048", "--keep-alive", "30", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            import urllib.request

            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/api/v1/keys", timeout=5)
            return server
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    server.kill()
    sys.exit("gunicorn did not start")


async def _load(host, port, path, token, concurrency, total):
    """`total` GETs of `path` over `concurrency` keep-alive connections; latencies in ms."""
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Token {token}\r\n"
               "Accept: application/json\r\nConnection: keep-alive\r\n\r\n").encode()
    latencies, failures = [], 0
    remaining = [total]

    async def connection_loop():
        nonlocal failures
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while remaining[0] > 0:
                remaining[0] -= 1
                started = time.perf_counter()
                writer.write(request)
                await writer.drain()
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _sep, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append((time.perf_counter() - started) * 1000)
                if b" 200 " not in status_line:
                    failures += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection_loop() for _ in range(concurrency)))
    return latencies, time.perf_counter() - started, failures


def _percentile(values, percent):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered)) - 1))]


# --- Queries per page -------------------------------------------------------------------------------


def _query_counts(tokens, ids):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(SERVER_NAME="127.0.0.1")
    override_settings(API_READ_CACHE_SECONDS=0).enable()  # count the queries of a computed answer
    print(f"{'SQL queries per request':<52} {'size 10':>8} {'size 50':>8} {'size 200':>8}")
    growing = False
    for label, path, token in [
        ("GET /api/v1/inventories (administrator)", "/api/v1/inventories", tokens["admin"]),
        ("GET /api/v1/inventories (government)", "/api/v1/inventories", tokens["gov_1"]),
        ("GET /api/v1/inventories (verifier)", "/api/v1/inventories", tokens["verifier_1"]),
        ("GET /api/v1/inventories (enterprise officer)", "/api/v1/inventories", tokens["officer_a"]),
    ]:
        counts = []
        for size in (10, 50, 200):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"{path}?page_size={size}", HTTP_AUTHORIZATION=f"Token {token}")
            assert response.status_code == 200, response.content[:200]
            counts.append(len(queries))
        growing |= len(set(counts)) > 1
        print(f"{label:<52} {counts[0]:>8} {counts[1]:>8} {counts[2]:>8}")
    print("query count grows with the page size: " + ("YES" if growing else "no"))


if __name__ == "__main__":
    main()
