"""One way the API answers a refusal: `{"detail": "<for a person>", "code": "<stable>"}`.

`exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) answers the application errors of
`carbon_portal.core.errors` with their own status, Django's ValidationError with 400 and the
field errors, and DRF's own exceptions as DRF does, with `detail` and `code` added where DRF
leaves them out (serializer errors). Views raise; they never build error answers themselves.
A request the framework cannot take (too large, malformed, a value the database refuses, such as
a NUL in a query parameter) is bad input too: 4xx, never 5xx. `UnknownPath` answers every path
under /api/ that no endpoint has: JSON 404, for every method, never a redirect or an HTML page.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from carbon_portal.core.errors import ApplicationError

logger = logging.getLogger(__name__)


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
    if isinstance(exc, RequestDataTooBig):
        return error_response(_("The request body is too large."), code="too_large",
                              status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):  # malformed multipart and the like: bad input, said plainly
        return error_response(_("The request cannot be read."), code="bad_request",
                              status_code=status.HTTP_400_BAD_REQUEST)
    # A value the database refuses: a NUL in a query parameter, or a number beyond 64 bits, which
    # PostgreSQL refuses with a DataError and SQLite's driver with an OverflowError. Bad input.
    if isinstance(exc, DataError | OverflowError):
        logger.warning("database refused a value of %s: %s", context["request"].path, exc)
        set_rollback()
        return error_response(_("The request has a value that cannot be stored or searched for."),
                              code="invalid", status_code=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):  # as DRF does, with a code
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException) and isinstance(response.data, list):
        response.data = {"detail": str(response.data[0]) if response.data else "", "errors": response.data}
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


class UnknownPath(APIView):
    """The last route of /api/: `{"detail": "Not found.", "code": "not_found"}` for any method."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()
    schema = None  # not an endpoint of the schema

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound()
