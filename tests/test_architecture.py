"""The layer rule of docs/architecture.md, checked on the source: dependencies point one way.

    core (carbon_portal.core, .accounts, settings)  <-  inventories  <-  workflows
        <-  ingestion, certificates  <-  the portal pages (carbon_portal.site) and the API (carbon_portal.api)

A module imports only its own layer's app and the layers below it, at the top of the module:
no import of a higher layer or of a sibling app, not even inside a function (that would only
hide the dependency), no "if it is installed" hedges, and only django-fsm's public API.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("carbon_portal", "inventories", "workflows", "ingestion", "certificates")
TOP_MODULES = {"site", "api", "urls", "demo", "wsgi", "asgi"}  # carbon_portal.<these> are the top layer
RANK = {"core": 0, "inventories": 1, "workflows": 2, "ingestion": 3, "certificates": 3, "portal": 4}
DOMAIN_APPS = ("inventories", "workflows", "ingestion", "certificates")


def layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "carbon_portal":
        return "portal" if len(parts) > 1 and parts[1] in TOP_MODULES else "core"
    return parts[0] if parts[0] in APPS else None


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    in_function: bool

    def __str__(self):
        return f"{self.source}:{self.line} imports {self.target}" + (" inside a function" if self.in_function else "")


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def source_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path) -> list[Import]:
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend(Import(module, alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                found.append(Import(module, resolve(child, module, path.name == "__init__.py"), child.lineno,
                                    in_function))
            visit(child, inside)

    visit(tree, False)
    return found


def all_imports() -> list[Import]:
    return [found for path in source_files() for found in imports_of(path)]


def violations(imports) -> list[str]:
    problems = []
    for found in imports:
        source, target = layer(found.source), layer(found.target)
        if source is None or target is None or source == target:
            continue
        if RANK[target] >= RANK[source]:
            problems.append(f"{found}: {target} is not below {source}")
        elif found.in_function:
            problems.append(f"{found}: import it at the top, the dependency is allowed")
    return problems


def test_dependencies_point_one_way():
    assert violations(all_imports()) == []


@pytest.mark.parametrize(("source", "target", "in_function", "allowed"), [
    ("workflows.services", "inventories.models", False, True),
    ("carbon_portal.api.inventories.views", "workflows.selectors", False, True),
    ("inventories.policies", "workflows.selectors", True, False),
    ("inventories.calculation.contract", "certificates.grading", False, False),
    ("certificates.services", "ingestion.models", False, False),
    ("workflows.services", "carbon_portal.api.read_cache", False, False),
    ("carbon_portal.accounts.models", "inventories.models", False, False),
    ("certificates.signals", "inventories.models", True, False),
])
def test_the_rule_itself(source, target, in_function, allowed):
    """The checker catches what it should (so the test above cannot pass by accident)."""
    assert (violations([Import(source, target, 1, in_function)]) == []) is allowed


def test_domain_apps_serve_no_http():
    """Portal pages live in carbon_portal.site, API views in carbon_portal.api: the domain apps
    have no views, URL modules, forms or REST framework code."""
    problems = [str(found) for found in all_imports()
                if layer(found.source) in DOMAIN_APPS
                and found.target.split(".")[0] in {"rest_framework", "drf_spectacular"}]
    for app in DOMAIN_APPS:
        problems += [str(path.relative_to(ROOT)) for name in ("views", "urls", "api", "forms", "api_urls")
                     for path in (ROOT / app).rglob(f"{name}.py")]
    assert problems == []


def test_no_hedges_for_apps_that_are_always_installed():
    """No `except ImportError`, no `apps.get_model` outside migrations, no private django-fsm API."""
    problems = []
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and "ImportError" in ast.unparse(node.type or ast.Constant("")):
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno} except ImportError")
            if isinstance(node, ast.Attribute) and node.attr in {"get_model", "_django_fsm"}:
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert problems == []
