# TEMPORARY probe (to be deleted): which conformance checks fail, per operation.
import time
from collections import Counter, defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import content_type_conformance, response_schema_conformance, status_code_conformance
from schemathesis.generation import GenerationMode

from tests.api.test_schema_fuzz import SIGN_OUT, officer_token, wsgi_app  # noqa: F401

pytestmark = [pytest.mark.django_db]


def test_probe(officer_token, wsgi_app):
    headers = {"Authorization": f"Token {officer_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    found = defaultdict(Counter)
    operations = [o for o in (r.ok() for r in schema.get_all_operations()) if o.label not in SIGN_OUT]
    started = time.monotonic()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=6, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def fuzz(case):
                response = case.call(headers=headers)
                for check in (status_code_conformance, response_schema_conformance, content_type_conformance):
                    try:
                        case.validate_response(response, checks=[check])
                    except Exception as error:  # noqa: BLE001
                        text = str(error).split("\n")
                        key = " | ".join(line.strip() for line in text if line.strip())[:400]
                        found[operation.label][f"{check.__name__} {response.status_code}: {key}"] += 1
            try:
                fuzz()
            except Unsatisfiable:
                pass
    print("ELAPSED", time.monotonic() - started)
    for label, failures in sorted(found.items()):
        print("==", label)
        for text, count in failures.most_common():
            print("  ", count, text)
