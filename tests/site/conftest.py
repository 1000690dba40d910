import pytest
from django.test import Client

from tests.login import log_in


@pytest.fixture
def english(settings):
    """Assertions read the English source strings (Chinese stays the default of the site; see
    test_portal_is_chinese_by_default)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def people(demo):
    """One logged-in client per demo user, each through the real two-step log-in."""
    clients = {}

    def client_for(username):
        if username not in clients:
            client = Client()
            log_in(client, demo, username)
            clients[username] = client
        return clients[username]

    return client_for
