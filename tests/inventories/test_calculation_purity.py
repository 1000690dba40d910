"""The engine and the grading are pure Python: no Django anywhere in them."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = sorted((ROOT / "inventories" / "calculation").glob("*.py"))  # the grading is one of them


def test_no_module_imports_django():
    for path in PURE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), f"{path.name} imports {names}"


@pytest.mark.slow
def test_importing_the_engine_does_not_load_django():
    code = ("import sys, inventories.calculation, inventories.calculation.grading; "
            "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
