"""One way the API answers a refusal: `{"detail": "<for a person>", "code": "<stable>"}`.

`exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) answers the application errors of
`carbon_portal.core.errors` with their own status, Django's ValidationError with 400 and the
field errors, and DRF's own exceptions as DRF does, with `detail` and `code` added where DRF
leaves them out (serializer errors). Views raise; they never build error answers themselves.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from carbon_portal.core.errors import ApplicationError


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, for a person."))
    code = serializers.CharField(required=False, help_text=_("Stable machine-readable reason."))


def error_response(message, *, code: str, status_code: int, **extra) -> Response:
    return Response({"detail": str(message), "code": code, **extra}, status=status_code)


def validation_body(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        errors = {field: [str(message) for message in messages] for field, messages in error.message_dict.items()}
        field, messages = next(iter(errors.items()))
        detail = messages[0] if field == "__all__" else f"{field}: {messages[0]}"
        return {"detail": detail, "code": "invalid", "errors": errors}
    return {"detail": " ".join(str(message) for message in error.messages), "code": "invalid"}


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return error_response(exc.message, code=exc.code, status_code=exc.status)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException) and isinstance(response.data, dict):
        code = _first_code(exc.get_codes())
        body = dict(response.data)
        if "detail" not in body:  # a serializer's field errors: name the first one
            field, messages = next(iter(body.items()), ("", [""]))
            first = messages[0] if isinstance(messages, list) and messages else messages
            body["detail"] = str(first) if field == "non_field_errors" else f"{field}: {first}"
        body.setdefault("code", code)
        response.data = body
    return response


def _first_code(codes) -> str:
    while isinstance(codes, dict | list) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) and codes else "error"


ERROR_RESPONSES = {code: ErrorSerializer for code in (400, 401, 403, 404, 409)}


def errors(*codes) -> dict:
    """`extend_schema(responses=...)` entries for these error statuses."""
    return {code: ERROR_RESPONSES[code] for code in codes}
