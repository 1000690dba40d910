import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a whole `manage.py migrate` in a subprocess

REPO = Path(__file__).resolve().parents[2]


def test_migrate_works_where_the_var_folder_does_not_exist_yet(tmp_path):
    var_dir = tmp_path / "not" / "there"
    env = {**os.environ, "CARBON_PORTAL_VAR_DIR": str(var_dir),
           "DJANGO_SETTINGS_MODULE": "carbon_portal.settings.embedded"}
    env.pop("DATABASE_URL", None)
    completed = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=REPO,
                               capture_output=True, text=True, timeout=600, env=env)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert (var_dir / "carbon_portal.sqlite3").exists()
