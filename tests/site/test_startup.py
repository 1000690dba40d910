"""A web process loads its views at start and freezes what it loaded (carbon_portal/startup.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a subprocess loads the whole application

REPO = Path(__file__).resolve().parents[2]
PROBE = """
import gc, sys
import carbon_portal.wsgi
print(gc.get_freeze_count(), 'carbon_portal.api.inventories.views' in sys.modules, 'carbon_portal.api.workflows.views' in sys.modules)
"""


def test_the_wsgi_application_freezes_the_loaded_application(tmp_path):
    env = {**os.environ, "CARBON_PORTAL_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "carbon_portal.settings.embedded"}
    completed = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True,
                               timeout=300, env=env)
    assert completed.returncode == 0, completed.stderr[-2000:]
    frozen, views_loaded, workflow_views_loaded = completed.stdout.split()
    assert int(frozen) > 100_000  # the application's objects, out of the collector's sight
    assert views_loaded == workflow_views_loaded == "True"  # loaded at start, not on a first request
