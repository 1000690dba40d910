"""Shared by tests/workflows and tests/api: logging in by HTTP, and moving inventories through
the lifecycle with the services (as the right people)."""

import base64
from decimal import Decimal

from django.test import TestCase
from django_otp.oath import TOTP
from rest_framework.test import APIClient

from carbon_portal.accounts.models import Enterprise, User, VerifierBody
from inventories.models import Inventory
from inventories.services import add_activity, create_inventory
from workflows import services

LINE = {"category": "purchased_electricity", "quantity": "1000000", "unit": "kWh"}


def totp(secret_b32: str) -> str:
    return f"{TOTP(base64.b32decode(secret_b32)).token():06d}"


class Api:
    """An API client as one user; on-commit work (notifications, signals) runs as it would
    after a real commit."""

    def __init__(self, token: str | None = None):
        self.client = APIClient()
        if token:
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    def _call(self, method, path, data=None):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return getattr(self.client, method)(f"/api/v1/{path}", data, format="json")

    def get(self, path, data=None):
        return self._call("get", path, data)

    def post(self, path, data=None):
        return self._call("post", path, data or {})

    def put(self, path, data=None):
        return self._call("put", path, data or {})

    def patch(self, path, data=None):
        return self._call("patch", path, data or {})

    def delete(self, path):
        return self._call("delete", path)

    def transition(self, inventory_id, name, **data):
        return self.post(f"inventories/{inventory_id}/transitions/{name}", data)


def login(demo, username) -> Api:
    credentials = demo["users"][username]
    payload = {"username": username, "password": credentials["password"]}
    if "totp_secret" in credentials:
        payload["otp"] = totp(credentials["totp_secret"])
    response = Api().post("auth/token", payload)
    assert response.status_code == 200, response.json()
    return Api(response.json()["token"])


def user(username) -> User:
    return User.objects.get(username=username)


def demo_body() -> VerifierBody:
    return VerifierBody.objects.get(memberships__user__username="verifier_1")


def enterprise_a() -> Enterprise:
    return Enterprise.objects.get(memberships__user__username="officer_a")


def new_inventory(year=2024, enterprise=None, officer="officer_a") -> Inventory:
    inventory = create_inventory(enterprise=enterprise or enterprise_a(), year=year, created_by=user(officer),
                                 added_value_10k_yuan=Decimal("8000"))
    add_activity(inventory=inventory, actor=user(officer), line=dict(LINE))
    add_activity(inventory=inventory, actor=user(officer),
                 line={"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "20000", "unit": "m3"})
    return inventory


def step(inventory, name, username, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.transition_inventory(inventory_id=inventory.pk, name=name, actor=user(username), **kwargs)


def engagement_of(inventory):
    from workflows.selectors import current_engagement

    return current_engagement(inventory)


def advance(inventory, target: str, *, corrections: bool = False) -> Inventory:
    """Move a fresh (draft) inventory of enterprise A to `target` along the ordinary path,
    meeting each condition on the way, as the people whose job each step is. With
    `corrections`, a round of corrections happens on the way to verified."""
    if target == "rejected":
        advance(inventory, "verifying")
        record_opinion(inventory, conclusion="rejected")
        step(inventory, "reject", "verifier_1")
        return Inventory.objects.get(pk=inventory.pk)
    if target == "corrections_requested":
        advance(inventory, "verifying")
        raise_finding(inventory)
        step(inventory, "request_corrections", "verifier_1")
        return Inventory.objects.get(pk=inventory.pk)
    path = ["collecting", "calculated", "in_review", "submitted", "verifying", "verified", "certified"]
    for stop in path[: path.index(target) + 1]:
        if stop == "collecting":
            step(inventory, "open", "officer_a")
        elif stop == "calculated":
            step(inventory, "calculate", "officer_a")
        elif stop == "in_review":
            step(inventory, "submit_review", "officer_a")
        elif stop == "submitted":
            services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=demo_body().pk,
                                          actor=user("officer_a"))
            step(inventory, "approve", "reviewer_a")
        elif stop == "verifying":
            step(inventory, "accept", "verifier_1", declaration="No ties with the enterprise.", no_conflict=True)
        elif stop == "verified":
            if corrections:
                raise_finding(inventory)
                step(inventory, "request_corrections", "verifier_1")
                for finding in inventory.findings.filter(status="open"):
                    services.respond_to_finding(finding_id=finding.pk, actor=user("officer_a"), response="Fixed.")
                step(inventory, "resubmit", "officer_a")
                for finding in inventory.findings.exclude(status="closed"):
                    services.close_finding(finding_id=finding.pk, actor=user("verifier_1"))
            record_opinion(inventory, conclusion="verified")
            step(inventory, "verify", "verifier_1")
        elif stop == "certified":
            step(inventory, "certify", "admin")
    return Inventory.objects.get(pk=inventory.pk)


def raise_finding(inventory, record=None):
    record = record or inventory.activity_records.order_by("id").first()
    return services.raise_finding(engagement_id=engagement_of(inventory).pk, actor=user("verifier_1"),
                                  reason="The invoice shows another quantity.", activity_record_ids=[record.pk])


def record_opinion(inventory, conclusion="verified"):
    return services.record_opinion(engagement_id=engagement_of(inventory).pk, actor=user("verifier_1"),
                                   conclusion=conclusion, text=f"Opinion: {conclusion}.")
