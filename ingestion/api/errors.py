"""Service exceptions as HTTP answers: bad input 400 (with the reason), not permitted 403,
the inventory's state 409. Nothing is stored in any of these cases."""

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response

from ..policies import ActivityLocked


def validation_body(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        errors = {field: [str(message) for message in messages] for field, messages in error.message_dict.items()}
        first = next(iter(errors.items()))
        return {"detail": f"{first[0]}: {first[1][0]}", "errors": errors}
    return {"detail": " ".join(str(message) for message in error.messages)}


class ServiceErrorsMixin:
    def handle_exception(self, exc):
        if isinstance(exc, ValidationError):
            return Response(validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, ActivityLocked):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)
