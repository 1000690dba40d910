"""Meter readings per second on PostgreSQL: the bulk service, the HTTP endpoint (gunicorn on
127.0.0.1, batches of 5,000) and MQTT (batched messages through the real broker); with
--rollup, how long an inventory's activity data takes from 500 meters x one year of
15-minute readings (17.5 million readings).

    .venv/bin/python bench/ingest.py                   # bulk, http, mqtt
    .venv/bin/python bench/ingest.py --only bulk --readings 2000000
    .venv/bin/python bench/ingest.py --rollup          # builds the year once (a few minutes), then times

Targets (issue 4): bulk 100,000/s, HTTP 50,000/s, MQTT 20,000/s, activity data < 1 s.
Uses its own database (default carbon_portal_bench, created when missing) and loopback only;
every loop is bounded. Prints one line per figure, and --json prints them as one object.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
METERS = 500
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
TARGETS = {"bulk": 100_000, "http": 50_000, "mqtt": 20_000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carbon_portal_bench"))
    parser.add_argument("--mqtt-url", default=os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883"))
    parser.add_argument("--only", default=None, help="comma-separated: bulk, http, mqtt (default: all three, "
                                                     "or none with --rollup)")
    parser.add_argument("--readings", type=int, default=1_000_000, help="readings for the bulk service")
    parser.add_argument("--batch", type=int, default=50_000,
                        help="readings per call of the bulk service (50,000: its chunk and the HTTP limit)")
    parser.add_argument("--http-readings", type=int, default=500_000)
    parser.add_argument("--http-batch", type=int, default=5_000)
    parser.add_argument("--http-workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--http-clients", type=int, default=2, help="concurrent clients (gateways)")
    parser.add_argument("--http-shared-meters", action="store_true",
                        help="the clients send alternate time steps of the same meters (writers of one cumulative "
                             "meter wait for each other) instead of each its own meters")
    parser.add_argument("--mqtt-readings", type=int, default=300_000)
    parser.add_argument("--mqtt-per-message", type=int, default=500)
    parser.add_argument("--rollup", action="store_true", help="time the activity data of 500 meters x a year")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    setup_django(args.database_url, args.mqtt_url)
    figures = {}
    fixtures = bench_fixtures()
    only = args.only if args.only is not None else ("" if args.rollup else "bulk,http,mqtt")
    stages = [stage.strip() for stage in only.split(",") if stage.strip()]
    for stage in stages:
        reset_readings()
        if stage == "bulk":
            figures.update(bench_bulk(args.readings, args.batch))
        elif stage == "http":
            figures.update(bench_http(args, fixtures))
        elif stage == "mqtt":
            figures.update(bench_mqtt(args))
        else:
            parser.error(f"unknown stage {stage!r}")
    if stages:
        reset_readings()
    if args.rollup:
        figures.update(bench_rollup())
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


# --- set-up ------------------------------------------------------------------------------------
def setup_django(database_url: str, mqtt_url: str) -> None:
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/ingest.py measures PostgreSQL: give --database-url postgres://...")
    ensure_database(database_url)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "carbon_portal.settings.embedded", "DJANGO_DEBUG": "0",
        "DATABASE_URL": database_url, "MQTT_URL": mqtt_url, "LOG_LEVEL": "WARNING",
        "EVIDENCE_ENCRYPTION_KEY": os.environ.get("EVIDENCE_ENCRYPTION_KEY") or secrets.token_hex(16),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    })
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def bench_fixtures() -> dict:
    """An enterprise with 500 cumulative electricity meters and a device key for all of them."""
    from carbon_portal.accounts.models import Enterprise
    from carbon_portal.accounts.uscc import with_check_character
    from carbon_portal.demo import load_industries
    from ingestion.device_keys import hash_device_key
    from ingestion.models import DeviceKey
    from inventories.models import Meter

    load_industries()
    enterprise, _created = Enterprise.objects.get_or_create(
        credit_code=with_check_character("91330106MA2BENCH1"),
        defaults={"name": "Bench readings", "industry_id": "C30", "region_code": "330106"})
    existing = set(Meter.objects.filter(enterprise=enterprise).values_list("identifier", flat=True))
    Meter.objects.bulk_create([
        Meter(enterprise=enterprise, identifier=identifier(m), name=f"bench meter {m}", energy_type="electricity",
              unit="kWh", reading_kind="cumulative", register_max=Decimal("99999999"))
        for m in range(METERS) if identifier(m) not in existing])
    key = "dk_bench_" + secrets.token_urlsafe(24)
    device_key, _created = DeviceKey.objects.update_or_create(
        enterprise=enterprise, name="bench", defaults={"key_hash": hash_device_key(key), "revoked_at": None})
    device_key.meters.set(Meter.objects.filter(enterprise=enterprise))
    return {"enterprise": enterprise, "device_key": key}


def identifier(m: int) -> str:
    return f"BENCH-{m:04d}"


def reset_readings() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ingestion_qualityissue WHERE meter_id IN "
                       "(SELECT id FROM inventories_meter WHERE identifier LIKE 'BENCH-%')")
        cursor.execute("DELETE FROM ingestion_dailyrollup WHERE meter_id IN "
                       "(SELECT id FROM inventories_meter WHERE identifier LIKE 'BENCH-%')")
        cursor.execute("DELETE FROM ingestion_monthlyrollup WHERE meter_id IN "
                       "(SELECT id FROM inventories_meter WHERE identifier LIKE 'BENCH-%')")
        cursor.execute("DELETE FROM ingestion_reading WHERE meter_id IN "
                       "(SELECT id FROM inventories_meter WHERE identifier LIKE 'BENCH-%')")
        cursor.execute("VACUUM ANALYZE ingestion_reading") if connection.get_autocommit() else None


def series(total: int, offset_steps: int = 0) -> list[dict]:
    """`total` readings: every 15 minutes one per meter, the registers rising; as JSON gives them."""
    rows = []
    steps = -(-total // METERS)
    for step in range(offset_steps, offset_steps + steps):
        ts = (START + datetime.timedelta(minutes=15 * step)).isoformat()
        for m in range(METERS):
            rows.append({"meter": identifier(m), "ts": ts, "value": f"{1000 + m + step * 2.5:.2f}"})
    return rows[:total]


def report(name: str, readings: int, seconds: float) -> dict:
    rate = readings / seconds
    target = TARGETS.get(name)
    note = f" (target {target:,}/s: {'met' if rate >= target else 'NOT met'})" if target else ""
    print(f"{name:5s}: {readings:,} readings in {seconds:.2f} s = {rate:,.0f} readings/s{note}", flush=True)
    return {f"{name}_readings_per_second": round(rate), f"{name}_readings": readings, f"{name}_seconds":
            round(seconds, 3)}


def stored() -> int:
    from ingestion.models import Reading

    return Reading.objects.filter(meter__identifier__startswith="BENCH-").count()


# --- bulk service --------------------------------------------------------------------------------
def bench_bulk(total: int, batch: int) -> dict:
    from inventories.models import Meter

    from ingestion.readings.services import ingest_readings

    rows = series(total)
    scope = Meter.objects.filter(identifier__startswith="BENCH-")
    ingest_readings(rows=series(METERS, offset_steps=100_000), scope=scope)  # warm up: connection, caches
    reset_readings()
    elapsed, accepted = 0.0, 0
    for start in range(0, len(rows), batch):
        began = time.perf_counter()
        result = ingest_readings(rows=rows[start:start + batch], scope=scope)
        elapsed += time.perf_counter() - began
        accepted += result.accepted
    assert accepted == total == stored(), (accepted, total)
    figures = report("bulk", total, elapsed)
    began = time.perf_counter()
    again = ingest_readings(rows=rows[:batch], scope=scope)
    replay = time.perf_counter() - began
    assert again.accepted == 0 and again.duplicates == min(batch, total)
    print(f"       a replay of {min(batch, total):,} stored readings: {min(batch, total) / replay:,.0f} readings/s, "
          "all duplicates", flush=True)
    figures["bulk_replay_readings_per_second"] = round(min(batch, total) / replay)
    figures.update(copy_baseline(rows))
    return figures


def copy_baseline(rows: list[dict]) -> dict:
    """For scale: a plain binary COPY of the same rows into a table with the same primary key."""
    from django.db import connection, transaction

    ids = dict(__import__("inventories.models", fromlist=["Meter"]).Meter.objects.filter(
        identifier__startswith="BENCH-").values_list("identifier", "id"))
    prepared = [(ids[r["meter"]], datetime.datetime.fromisoformat(r["ts"]), Decimal(r["value"])) for r in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("CREATE TEMPORARY TABLE bench_copy (meter_id bigint, ts timestamptz, value numeric(20, 6), "
                    "PRIMARY KEY (meter_id, ts)) ON COMMIT DROP")
        began = time.perf_counter()
        with raw.copy("COPY bench_copy FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "timestamptz", "numeric"])
            for row in prepared:
                copy.write_row(row)
        seconds = time.perf_counter() - began
    print(f"       for scale, a plain COPY of the same rows into a table keyed like it: "
          f"{len(rows) / seconds:,.0f} rows/s", flush=True)
    return {"plain_copy_rows_per_second": round(len(rows) / seconds)}


# --- HTTP --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_http(args, fixtures) -> dict:
    import requests

    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "carbon_portal.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(args.http_workers), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}/api/v1/readings"
    headers = {"Authorization": f"Device {fixtures['device_key']}", "Content-Type": "application/json"}
    try:
        wait_for_port(port, 30)
        warm = json.dumps({"readings": series(METERS, offset_steps=200_000)}).encode()
        for _ in range(args.http_workers * 2):
            requests.post(url, data=warm, headers=headers, timeout=60).raise_for_status()
        reset_readings()
        rows = series(args.http_readings)
        # Each client is a gateway with its own meters (as devices are), sending batches of
        # 5,000 readings in time order; two gateways never write the same meter.
        parts = []
        if args.http_shared_meters:
            bodies = [json.dumps({"readings": rows[i:i + args.http_batch]}).encode()
                      for i in range(0, len(rows), args.http_batch)]
            parts = [bodies[i::args.http_clients] for i in range(args.http_clients)]
        for client_number in range(0 if args.http_shared_meters else args.http_clients):
            own = [row for row in rows if int(row["meter"][-4:]) % args.http_clients == client_number]
            parts.append([json.dumps({"readings": own[i:i + args.http_batch]}).encode()
                          for i in range(0, len(own), args.http_batch)])
        results, lock = [], threading.Lock()

        def client(part):
            session = requests.Session()
            for body in part:
                answer = session.post(url, data=body, headers=headers, timeout=120)
                answer.raise_for_status()
                with lock:
                    results.append(answer.json())

        threads = [threading.Thread(target=client, args=(part,)) for part in parts]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    accepted = sum(r["accepted"] for r in results)
    assert accepted == len(rows) == stored(), (accepted, len(rows))
    figures = report("http", len(rows), elapsed)
    print(f"       {args.http_clients} clients, {args.http_workers} gunicorn workers, "
          + ("the same meters (alternate time steps)" if args.http_shared_meters else "each client its own meters"),
          flush=True)
    return figures


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


# --- MQTT --------------------------------------------------------------------------------------
def bench_mqtt(args) -> dict:
    import paho.mqtt.client as mqtt

    from ingestion.mqtt.connection import broker_from_url

    prefix = f"bench-{uuid.uuid4().hex[:8]}/carbon/meters"
    rows = series(args.mqtt_readings)
    by_meter: dict[str, list] = {}
    for row in rows:
        by_meter.setdefault(row["meter"], []).append({"ts": row["ts"], "value": row["value"]})
    messages = []
    for meter, items in by_meter.items():
        for i in range(0, len(items), args.mqtt_per_message):
            messages.append((f"{prefix}/{meter}/readings", json.dumps(items[i:i + args.mqtt_per_message]).encode()))
    if len(messages) > 1000:
        print("       note: Mosquitto queues at most 1,000 messages per subscriber by default; "
              "use fewer, larger messages", flush=True)
    subscriber = subprocess.Popen(
        [PYTHON, "manage.py", "mqtt_ingest", "--topic-prefix", prefix, "--client-id", f"bench-{uuid.uuid4().hex[:8]}",
         "--clean-session", "--max-messages", str(len(messages)), "--idle-timeout", "60", "--json"],
        cwd=ROOT, env={**os.environ, "LOG_LEVEL": "INFO"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    broker = broker_from_url(args.mqtt_url)
    publisher = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{os.getpid()}")
    publisher.max_queued_messages_set(0)
    publisher.connect(broker.host, broker.port)
    publisher.loop_start()
    try:
        log = wait_for_subscriber(subscriber)
        began = time.perf_counter()
        infos = [publisher.publish(topic, payload, qos=1) for topic, payload in messages]
        for info in infos:
            info.wait_for_publish(timeout=120)
        out = subscriber.stdout.read()
        subscriber.wait(600)
        elapsed = time.perf_counter() - began
        err = "".join(log)
    finally:
        publisher.disconnect()
        publisher.loop_stop()
        if subscriber.poll() is None:
            subscriber.kill()
    counters = json.loads(out.strip().splitlines()[-1])
    assert counters["accepted"] == len(rows) == stored(), (counters, err[-2000:])
    figures = report("mqtt", len(rows), elapsed)
    print(f"       {len(messages):,} messages of {args.mqtt_per_message} readings, "
          f"{counters['batches']} database batches", flush=True)
    return figures


def wait_for_subscriber(process, seconds: float = 30) -> list[str]:
    """mqtt_ingest logs (at INFO) when it subscribes; its stderr is read on by a thread."""
    lines, subscribed = [], threading.Event()

    def read():
        for line in process.stderr:
            lines.append(line)
            if "subscribing" in line:
                subscribed.set()

    threading.Thread(target=read, daemon=True).start()
    if not subscribed.wait(seconds):
        raise RuntimeError("mqtt_ingest did not subscribe: " + "".join(lines)[-2000:])
    time.sleep(0.3)
    return lines


# --- roll-ups -> activity data ---------------------------------------------------------------------
def bench_rollup() -> dict:
    """500 meters x one year of 15-minute readings (17,520,000 rows, written once with SQL), their
    daily and monthly roll-ups built directly with SQL, then the timed step: the inventory's
    activity data from the roll-ups (the service the portal runs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from carbon_portal.accounts.models import Enterprise, Membership, Role, User
    from carbon_portal.accounts.uscc import with_check_character
    from ingestion.readings.activity import create_meter_activity
    from inventories.models import Inventory, Meter
    from inventories.services import create_inventory, load_factor_library

    from django.conf import settings

    load_factor_library(data=json.loads(settings.FACTOR_LIBRARY_FILE.read_text()))
    enterprise, _created = Enterprise.objects.get_or_create(
        credit_code=with_check_character("91330106MA2BENCH2"),
        defaults={"name": "Bench roll-ups", "industry_id": "C30", "region_code": "330106"})
    officer, _created = User.objects.get_or_create(username="bench_officer")
    Membership.objects.get_or_create(user=officer, role=Role.OFFICER, enterprise=enterprise)
    existing = set(Meter.objects.filter(enterprise=enterprise).values_list("identifier", flat=True))
    kinds = ["electricity", "natural_gas", "steam", "diesel"]
    units = {"electricity": "kWh", "natural_gas": "m3", "steam": "GJ", "diesel": "t"}
    Meter.objects.bulk_create([
        Meter(enterprise=enterprise, identifier=f"ROLL-{m:04d}", name=f"roll-up meter {m}",
              energy_type=kinds[m % 4], unit=units[kinds[m % 4]], reading_kind="cumulative",
              register_max=Decimal("99999999"))
        for m in range(METERS) if f"ROLL-{m:04d}" not in existing])
    ids = list(Meter.objects.filter(enterprise=enterprise).order_by("id").values_list("id", flat=True))
    year_steps = 365 * 96
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ingestion_reading WHERE meter_id = ANY(%s)", [ids])
        if cursor.fetchone()[0] != METERS * year_steps:
            print(f"building {METERS * year_steps:,} readings and their roll-ups (once) ...", flush=True)
            began = time.perf_counter()
            cursor.execute("DELETE FROM ingestion_reading WHERE meter_id = ANY(%s)", [ids])
            for meter_id in ids:  # one statement per meter keeps each transaction small
                cursor.execute(
                    "INSERT INTO ingestion_reading (meter_id, ts, value) SELECT %s, "
                    "timestamptz '2025-01-01 00:00+08' + s * interval '15 minutes', (1000 + s * 0.25)::numeric "
                    "FROM generate_series(0, %s) s", [meter_id, year_steps - 1])
            print(f"  readings written in {time.perf_counter() - began:.0f} s", flush=True)
        # The roll-ups the write path would have made: 0.25 per quarter hour, 24 a day (the
        # first reading of the year starts the register, so 1 January has 23.75).
        cursor.execute("DELETE FROM ingestion_dailyrollup WHERE meter_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM ingestion_monthlyrollup WHERE meter_id = ANY(%s)", [ids])
        cursor.execute(
            "INSERT INTO ingestion_dailyrollup (meter_id, day, consumption, reading_count) "
            "SELECT m, d::date, CASE WHEN d = date '2025-01-01' THEN 23.75 ELSE 24 END, 96 "
            "FROM unnest(%s::bigint[]) m, generate_series(date '2025-01-01', date '2025-12-31', interval '1 day') d",
            [ids])
        cursor.execute(
            "INSERT INTO ingestion_monthlyrollup (meter_id, month, consumption, reading_count) "
            "SELECT meter_id, date_trunc('month', day)::date, sum(consumption), sum(reading_count) "
            "FROM ingestion_dailyrollup WHERE meter_id = ANY(%s) GROUP BY 1, 2", [ids])
        cursor.execute("ANALYZE ingestion_reading")
        cursor.execute("ANALYZE ingestion_dailyrollup")
        cursor.execute("ANALYZE ingestion_monthlyrollup")
        cursor.execute("SELECT count(*) FROM ingestion_reading WHERE meter_id = ANY(%s)", [ids])
        raw_rows = cursor.fetchone()[0]
    inventory = Inventory.objects.filter(enterprise=enterprise, year=2025).first() or create_inventory(
        enterprise=enterprise, year=2025, created_by=officer)
    timings = []
    for _run in range(3):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = create_meter_activity(inventory=inventory, created_by=officer)
            timings.append(time.perf_counter() - began)
        touched = [q["sql"] for q in queries if '"ingestion_reading"' in q["sql"] or "ingestion_reading " in q["sql"]]
        assert not touched, "the raw readings were read"
    assert len(result.created) == METERS, result.skipped[:3]
    expected = Decimal("23.75") + 364 * 24
    assert all(record.quantity == expected for record in result.created)
    print(f"rollup: activity data of {METERS} meters x one year ({raw_rows:,} readings stored) in "
          f"{timings[0]:.3f} s (then {timings[1]:.3f} s, {timings[2]:.3f} s; target < 1 s: "
          f"{'met' if max(timings) < 1 else 'NOT met'}); {len(queries)} queries, none on the readings table",
          flush=True)
    return {"rollup_seconds": [round(t, 3) for t in timings], "rollup_readings": raw_rows,
            "rollup_seconds_median": round(statistics.median(timings), 3)}


if __name__ == "__main__":
    sys.exit(main())
