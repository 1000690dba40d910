"""The API against its own OpenAPI schema, fuzzed with schemathesis: whatever a client sends, no
answer is a server error (5xx), and every answer is one the schema declares, with the declared
content type and body schema (the shared error answers come from carbon_portal.api.schema).

The schema is loaded from the app (/api/v1/schema/); requests go straight to the WSGI app, as an
officer with a token, inside the test's transaction. Every operation gets a few valid and a few
invalid examples (schemathesis' positive and negative modes); a time budget keeps the run short.
"""

import time
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.test import APIClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 6
# These end the fuzzing officer's own sign-in (every request after them would only see 401).
SIGN_OUT = {"POST /api/v1/auth/logout", "POST /api/v1/auth/logout-all", "DELETE /api/v1/auth/tokens/{token_id}"}
BUDGET_SECONDS = 80
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def officer_token(demo):
    answer = APIClient().post("/api/v1/auth/token", {"username": "officer_a",
                                                    "password": demo["users"]["officer_a"]["password"]})
    return answer.json()["token"]


@pytest.fixture
def wsgi_app(settings, officer_token):
    """Django's WSGI app as a server runs it, but keeping the test's database connection (as
    Django's test client does: the signals that close connections are off meanwhile; Django's
    test client connects them again after each request, so it is not used from here on)."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_input_gives_a_server_error_or_an_undeclared_answer(officer_token, wsgi_app):
    headers = {"Authorization": f"Token {officer_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    started, failures, skipped, statuses = time.monotonic(), [], [], Counter()
    operations = [operation for operation in (result.ok() for result in schema.get_all_operations())
                  if operation.label not in SIGN_OUT]
    assert len(operations) > 20
    for operation in operations:
        if time.monotonic() - started > BUDGET_SECONDS:
            skipped.append(operation.label)
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def fuzz(case):
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                problems = [f"server error {response.status_code}"] if response.status_code >= 500 else []
                try:
                    case.validate_response(response, checks=CHECKS)
                except FailureGroup as group:
                    problems += [f"{failure.title}: {failure.message}" for failure in group.exceptions]
                if problems:
                    failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                    f"{'; '.join(problems)[:1000]}\n  {case.as_curl_command(headers=headers)}")

            try:
                fuzz()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                pass
    print(sorted(statuses.items()))
    assert not failures, "\n".join(failures[:20])
    assert statuses[200] + statuses[201] > 50, statuses  # signed in: the fuzzing reached the views
    assert len(skipped) < len(operations) / 2, f"over the time budget before: {skipped}"
