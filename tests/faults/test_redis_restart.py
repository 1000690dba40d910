"""Redis (the cache) stopped and started again under a running web process, with the API's read
cache on: every answer is 2xx, no read is stale, each write is stored once.

The web side is the real WSGI application in a process of its own (tests/faults/services.py),
configured by CACHE_URL as in production, so the read cache, the data generation and
cache_health run as they do there: django-redis's connection pool meets the stopped server, and
the restarted one, which keeps nothing (no data generation: it starts again from the clock).
The database is a copy of the private cluster's template, as in test_database_restart.py, so the
test is the same in CI's PostgreSQL run and in its SQLite run.
"""

import time

import pytest
import redis

from .services import ApiUser, WsgiServer, portal_env

pytestmark = pytest.mark.slow

READ_CACHE_SECONDS = 5  # answers kept this long; also how long after a cache error nothing kept is trusted
GENERATION_KEY = ":1:portal:api:data-generation"  # carbon_portal.core.data_generation, as django-redis names it


def _line(number: int) -> dict:
    return {"category": "fuel_combustion", "fuel": "diesel", "quantity": str(100 * number), "unit": "L",
            "description": f"Redis restart line {number}"}


def _inventory_of(cluster, database, username: str) -> int:
    [(inventory_id,)] = cluster.sql(
        "SELECT i.id FROM inventories_inventory i JOIN accounts_membership m ON m.enterprise_id = i.enterprise_id "
        "JOIN accounts_user u ON u.id = m.user_id WHERE u.username = %s AND i.year = 2025", database, username)
    cluster.sql("UPDATE inventories_inventory SET status = 'collecting' WHERE id = %s", database, inventory_id)
    return inventory_id


def test_redis_stopped_and_restarted_under_the_read_cache(private_redis, postgres_database, tmp_path):
    cluster, database = postgres_database
    started = time.monotonic()
    inventory = _inventory_of(cluster, database, "officer_a")
    env = portal_env(DJANGO_SETTINGS_MODULE="tests.faults.service_settings", DATABASE_URL=cluster.url(database),
                     CACHE_URL=private_redis.url,
                     API_READ_CACHE_SECONDS=str(READ_CACHE_SECONDS), CARBON_PORTAL_VAR_DIR=str(tmp_path))
    keys = redis.Redis(host="127.0.0.1", port=private_redis.port, socket_timeout=2)
    web = WsgiServer(env=env)
    try:
        officer = ApiUser(web, "officer_a", cluster.demo["users"]["officer_a"])

        def lines() -> list[str]:
            """The inventory's lines, as the API reads them (the detail: cached like the list)."""
            assert any(row["id"] == inventory for row in officer.call("GET", "inventories")["results"])
            return sorted(record["description"] for record in officer.call("GET", f"inventories/{inventory}")["activity"]
                          if record["description"].startswith("Redis restart"))

        officer.log_in()
        officer.call("POST", f"inventories/{inventory}/activity", _line(1))
        assert officer.last_status == 201
        assert lines() == ["Redis restart line 1"]
        before_outage = int(keys.get(GENERATION_KEY))  # the generation really is in Redis
        # A change by hand in SQL advances no generation: the kept answer hides it, proof that reads
        # are served from the read cache now.
        cluster.sql("UPDATE inventories_activityrecord SET description = 'Redis restart line 1, edited' "
                    "WHERE inventory_id = %s AND description = 'Redis restart line 1'", database, inventory)
        assert lines() == ["Redis restart line 1"]

        private_redis.stop()
        officer.call("POST", f"inventories/{inventory}/activity", _line(2))
        # Not the answer kept a moment ago (it has READ_CACHE_SECONDS to live): read afresh.
        assert lines() == ["Redis restart line 1, edited", "Redis restart line 2"]
        officer.log_in()
        last_error = time.monotonic()

        private_redis.start()  # empty: Redis kept nothing
        assert keys.get(GENERATION_KEY) is None
        assert lines() == ["Redis restart line 1, edited", "Redis restart line 2"]
        # Once the outage is READ_CACHE_SECONDS old the generation is trusted again: a new one, from
        # the clock, above any used before, so nothing kept before the outage can be served.
        time.sleep(max(0.0, last_error + READ_CACHE_SECONDS + 0.2 - time.monotonic()))
        assert lines() == lines() == ["Redis restart line 1, edited", "Redis restart line 2"]
        after_restart = int(keys.get(GENERATION_KEY))
        assert after_restart > before_outage

        officer.call("POST", f"inventories/{inventory}/activity", _line(3))
        assert officer.last_status == 201
        assert int(keys.get(GENERATION_KEY)) > after_restart  # the write advanced it
        assert lines() == ["Redis restart line 1, edited", "Redis restart line 2", "Redis restart line 3"]
        assert web.process.poll() is None
    finally:
        web.stop()
        keys.close()
    assert "the cache (Redis) is unavailable" in web.output, web.output[-3000:]  # it did meet the outage
    assert "Traceback" not in web.output, web.output[-3000:]
    [(stored,)] = cluster.sql("SELECT count(*) FROM inventories_activityrecord WHERE inventory_id = %s "
                              "AND description LIKE 'Redis restart line %%'", database, inventory)
    assert stored == 3
    print(f"Redis stopped and restarted under the read cache: 3 lines stored once, no stale read; "
          f"{time.monotonic() - started:.1f} s")
