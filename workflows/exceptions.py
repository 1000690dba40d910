"""What the workflow services raise; the API maps each to one HTTP status."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class WorkflowError(Exception):
    """Base class; `message` is user-facing (translated), `code` is stable for clients."""

    code = "workflow_error"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self):
        return str(self.message)


class NotFound(WorkflowError):
    """The object does not exist or the user may not see it (-> 404; never tells which)."""

    code = "not_found"


class TransitionNotAllowed(WorkflowError):
    """Wrong state, or a condition of the transition is not met (-> 409)."""

    code = "wrong_state"


class PermissionDenied(WorkflowError, DjangoPermissionDenied):
    """The user sees the object but may not do this (-> 403)."""

    code = "not_permitted"


class InvalidInput(WorkflowError):
    """Bad input to an otherwise allowed action (-> 400)."""

    code = "invalid"
