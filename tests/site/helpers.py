"""Shared by the portal tests: posting forms as a person does, reading pages."""

import re
from decimal import Decimal

from django.test import TestCase

from carbon_portal.accounts.models import Enterprise, User
from inventories.models import Inventory


def post(client, url, data=None, follow=False):
    """POST a form; work scheduled after commit (notifications) runs as after a real commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {}, follow=follow)


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def user(username) -> User:
    return User.objects.get(username=username)


def enterprise_of(username) -> Enterprise:
    return Enterprise.objects.get(memberships__user__username=username)


def inventory(pk) -> Inventory:
    return Inventory.objects.get(pk=pk)


def field_errors(response, form_key=None) -> str:
    """The text of the error blocks shown next to fields."""
    return " | ".join(re.findall(r'<div class="field-errors" role="alert">(.*?)</div>', text(response), re.S))


ELECTRICITY = {"category": "purchased_electricity", "quantity": "1200000", "unit": "kWh",
               "description": "Grid electricity"}
GAS = {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "150000", "unit": "m3",
       "description": "Kiln gas"}
COAL_MEASURED = {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "800", "unit": "t", "ncv": "21.5",
                 "ncv_unit": "GJ/t", "carbon_content": "26.0", "carbon_content_unit": "tC/TJ",
                 "oxidation_rate": "0.93"}
ADDED_VALUE = Decimal("6000")


def steps_offered(response) -> set[str]:
    """The lifecycle steps the page offers as buttons (forms posting to a transition)."""
    return set(re.findall(r'action="/portal/(?:inventories|verification)/\d+/transitions/(\w+)/"', text(response)))
