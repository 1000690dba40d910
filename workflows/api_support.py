"""What the JSON API of workflows and inventories shares: error answers and the MFA rule."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from .exceptions import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed, WorkflowError

ERROR_STATUS = {
    NotFound: status.HTTP_404_NOT_FOUND,
    PermissionDenied: status.HTTP_403_FORBIDDEN,
    TransitionNotAllowed: status.HTTP_409_CONFLICT,
    InvalidInput: status.HTTP_400_BAD_REQUEST,
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, for a person."))
    code = serializers.CharField(required=False, help_text=_("Stable machine-readable reason."))


def error_response(message, *, code: str, status_code: int) -> Response:
    return Response({"detail": str(message), "code": code}, status=status_code)


class WorkflowErrorsMixin:
    """Answers the services' exceptions: 404 not found, 403 not permitted, 409 wrong state or
    unmet condition, 400 bad input (also Django's ValidationError from other apps' services)."""

    def handle_exception(self, exc):
        if isinstance(exc, WorkflowError):
            status_code = next(code for kind, code in ERROR_STATUS.items() if isinstance(exc, kind))
            return error_response(exc.message, code=exc.code, status_code=status_code)
        if isinstance(exc, DjangoValidationError):
            return error_response("; ".join(exc.messages), code="invalid", status_code=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


class IsAuthenticatedWithMfa(BasePermission):
    """Authenticated; and a user whose role requires MFA, coming with a browser session, must
    have passed the one-time password in that session (API tokens are only issued after it)."""

    message = _("Your role requires multi-factor login: sign in again with your one-time password.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if isinstance(request.successful_authenticator, SessionAuthentication) and user.requires_mfa:
            return bool(getattr(user, "is_verified", lambda: False)())
        return True


ERROR_RESPONSES = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    409: ErrorSerializer,
}


def errors(*codes) -> dict:
    """`extend_schema(responses=...)` entries for these error statuses."""
    return {code: ERROR_RESPONSES[code] for code in codes}
