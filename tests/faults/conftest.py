import json
import shutil
import time
import uuid

import pytest

from .services import PrivatePostgres, PrivateRedis, manage, portal_env, postgres_bindir


@pytest.fixture(scope="session")
def postgres_cluster():
    """A private PostgreSQL cluster for the session, with one migrated and seeded database, the
    template the tests copy (CREATE DATABASE ... TEMPLATE: a copy in a fraction of a second instead
    of a minute of migrations per test). Independent of the run's own DATABASE_URL, so it is the
    same in the PostgreSQL and in the SQLite run of CI."""
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("the PostgreSQL server programs (initdb, pg_ctl, postgres) are not installed")
    if shutil.which("runuser") is None and __import__("os").geteuid() == 0:
        pytest.skip("running as root without runuser: PostgreSQL cannot be started")
    cluster = PrivatePostgres(bindir)
    try:
        started = time.monotonic()
        cluster.init()
        cluster.start()
        cluster.sql("CREATE DATABASE carbon_template")
        env = portal_env(DATABASE_URL=cluster.url("carbon_template"), CACHE_URL="")
        manage("migrate", "--no-input", "-v", "0", env=env, timeout=300)
        manage("load_factor_library", env=env)
        cluster.demo = json.loads(manage("seed_demo", "--json", env=env))
        cluster.sql("ALTER DATABASE carbon_template WITH ALLOW_CONNECTIONS false IS_TEMPLATE true")
        cluster.prepared_in = time.monotonic() - started
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def postgres_database(postgres_cluster):
    """A fresh copy of the migrated, seeded template: (cluster, name)."""
    name = f"faults_{uuid.uuid4().hex[:8]}"
    postgres_cluster.sql(f'CREATE DATABASE "{name}" TEMPLATE carbon_template')
    yield postgres_cluster, name
    postgres_cluster.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def private_redis():
    """A private redis-server, started (PrivateRedis: a restart keeps nothing); stopped at the end."""
    server = PrivateRedis()
    if server.binary is None:
        pytest.skip("the redis-server program is not installed")
    server.start()
    yield server
    server.stop()
