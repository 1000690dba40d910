import pytest

from tests.workflows.support import login


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


# Signed-in API clients of the demo users (tests.workflows.support.login).
@pytest.fixture
def officer_a(demo):
    return login(demo, "officer_a")


@pytest.fixture
def officer_b(demo):
    return login(demo, "officer_b")


@pytest.fixture
def reviewer_a(demo):
    return login(demo, "reviewer_a")
