import pytest
from django.core.management import call_command
from PIL import ImageFile


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
