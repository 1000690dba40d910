"""The OpenAPI schema of these endpoints generates and validates with no warning or error."""

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_schema_of_inventories_workflows_and_login_is_clean():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf="tests.api.schema_urls").get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    paths = set(schema["paths"])
    assert {"/api/v1/auth/token", "/api/v1/inventories", "/api/v1/inventories/{id}",
            "/api/v1/inventories/{id}/activity", "/api/v1/inventories/{id}/transitions/{name}",
            "/api/v1/engagements/{id}/findings", "/api/v1/findings/{id}/respond"} <= paths
    transition = schema["paths"]["/api/v1/inventories/{id}/transitions/{name}"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(transition["responses"])


def test_schema_endpoint_serves(client):
    assert client.get("/api/v1/schema/").status_code == 200


def test_every_operation_declares_the_shared_error_answers():
    schema = SchemaGenerator(urlconf="tests.api.schema_urls").get_schema(request=None, public=True)
    for path, path_item in schema["paths"].items():
        for method, operation in path_item.items():
            missing = {"400", "401", "403", "404", "405", "413", "415", "429"} - set(operation["responses"])
            assert not missing, (method, path, missing)
    login_error = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]["400"]["content"]["application/json"]
    component = schema["components"]["schemas"][login_error["schema"]["$ref"].rsplit("/", 1)[1]]
    assert component["properties"]["code"]["type"] == "string"  # a free string: new codes need no schema change
    assert "enum" not in component["properties"]["code"] and "$ref" not in component["properties"]["code"]
