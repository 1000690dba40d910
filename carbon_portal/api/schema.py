"""The OpenAPI schema describes this portal's API (/api/v1/) only: never Wagtail's admin API
(/cms/api/), which is for the editor's own pages and behind the Wagtail admin login.

Every operation may answer the shared refusals of `carbon_portal.api.errors` (bad input, sign-in,
permission, not found, method, size, content type, throttling): `shared_error_responses` declares
them on every operation that does not declare its own, all as `{"detail": ..., "code": ...}` (the
Error schema).
"""

API_PREFIX = "/api/v1/"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
SHARED_ERRORS = {
    "400": "Bad input: a malformed body or parameter, control characters, JSON nested too deeply.",
    "401": "No valid credentials.",
    "403": "Not allowed for this user (or a second factor is missing).",
    "404": "No such object, or not visible to this user.",
    "405": "Method not allowed.",
    "413": "The request body is too large.",
    "415": "The body is not in a content type this operation takes.",
    "429": "Too many requests: wait and retry.",
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
# As carbon_portal.api.errors.ErrorSerializer, in case no operation names it (drf-spectacular then adds none).
ERROR_SCHEMA = {"type": "object", "required": ["detail"],
                "properties": {"detail": {"type": "string"}, "code": {"type": "string"}}}


def portal_api_only(endpoints, **kwargs):
    """drf-spectacular PREPROCESSING_HOOKS: keep the endpoints under /api/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def shared_error_responses(result, generator=None, request=None, public=None, **kwargs):
    """drf-spectacular POSTPROCESSING_HOOKS: the shared error answers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("Error", ERROR_SCHEMA)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in SHARED_ERRORS.items():
                responses.setdefault(status, {"content": {"application/json": {"schema": ERROR_REF}},
                                              "description": description})
    return result
