import pytest
from django.core.cache import cache

from carbon_portal.accounts.models import User, VerifierBody
from inventories.models import Inventory

from .factories import set_status


@pytest.fixture(autouse=True, scope="session")
def _compiled_translations():
    """`make test` compiles translations first; a bare pytest run compiles ours here."""
    import shutil
    import subprocess
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "certificates" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if shutil.which("msgfmt") and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = "http://portal.test"
    settings.LABEL_IDENTIFIER_PREFIX = "88.888.8888"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def users(demo):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def verifier_body(demo):
    return VerifierBody.objects.get(accreditation_number="CNAS-GHG-DEMO-001")


@pytest.fixture
def inventory_a(demo):
    from carbon_portal.accounts.uscc import with_check_character

    return Inventory.objects.get(enterprise__credit_code=with_check_character("91330106MA2XXXX0A"), year=2025)


@pytest.fixture
def issue(users, verifier_body, django_capture_on_commit_callbacks):
    """issue(inventory, render=False) -> labels; render=True also runs the document tasks (eager)."""
    from certificates.services import issue_inventory_labels

    def _issue(inventory, *, render=False, reissue=False):
        inventory = set_status(inventory, "verified") if inventory.status != "certified" else inventory
        with django_capture_on_commit_callbacks(execute=render):
            return issue_inventory_labels(inventory=inventory, issued_by=users["admin"], verifier_body=verifier_body,
                                          reissue=reissue)

    return _issue


@pytest.fixture
def labels_a(issue, inventory_a):
    return issue(inventory_a)


@pytest.fixture
def enterprise_label(labels_a):
    return next(label for label in labels_a if label.kind == "enterprise")
