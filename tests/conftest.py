import os
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from PIL import ImageFile


def _own_redis_database_per_xdist_worker():
    """`make test` runs the suite in pytest-xdist workers (gw0, gw1, ...). pytest-django gives each
    worker its own test database; with CACHE_URL=redis://.../N each worker gets its own Redis
    database too (N + worker number), so that one worker's cache.clear() (FLUSHDB) or data
    generation never reaches the other's tests."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    from django.conf import settings
    from django.core.cache import caches

    offset = int(worker[2:])
    for alias, conf in settings.CACHES.items():
        location = conf.get("LOCATION")
        if isinstance(location, str) and location.startswith(("redis://", "rediss://")):
            parts = urlsplit(location)
            database = int(parts.path.strip("/") or 0) + offset
            assert database < 16, f"no Redis database {database} for worker {worker}"
            conf["LOCATION"] = parts._replace(path=f"/{database}").geturl()
            assert getattr(caches._connections, alias, None) is None, "a cache was opened before the conftest"


_own_redis_database_per_xdist_worker()


@pytest.fixture(autouse=True)
def strict_image_decoding():
    """Importing WeasyPrint (as some tests do to render samples) turns on Pillow's global
    LOAD_TRUNCATED_IMAGES; the portal itself restores it, and so does every test."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False


@pytest.fixture
def factor_set(db):
    """The shipped factor library, loaded as `make run` loads it."""
    from inventories.services import load_factor_library
    import json
    from django.conf import settings

    factor_set, _created = load_factor_library(data=json.loads(settings.FACTOR_LIBRARY_FILE.read_text()))
    return factor_set


@pytest.fixture
def demo(factor_set):
    """seed_demo's output: {"users": ..., "meters": ..., "device_keys": ...}."""
    from carbon_portal.demo import seed_demo

    return seed_demo()


@pytest.fixture
def demo_command_output(factor_set, capsys):
    call_command("seed_demo", "--json")
    return capsys.readouterr().out
