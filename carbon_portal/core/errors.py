"""The application error model: what a service raises when it refuses, with a stable code for
clients and the HTTP status it means. The API answers every one the same way
(`carbon_portal.api.errors.exception_handler`); portal pages show it on their form
(`carbon_portal.site.views.common.run_service`). Nothing has been changed when one is raised.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class ApplicationError(Exception):
    """Base class; `message` is for a person (translated), `code` is stable for clients."""

    status = 400
    code = "invalid"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self):
        return str(self.message)


class InvalidInput(ApplicationError):
    """Bad input to an otherwise allowed action."""

    status = 400
    code = "invalid"


class PermissionDenied(ApplicationError, DjangoPermissionDenied):
    """The user sees the object but may not do this."""

    status = 403
    code = "not_permitted"


class NotFound(ApplicationError):
    """The object does not exist or the user may not see it (never tells which)."""

    status = 404
    code = "not_found"


class Conflict(ApplicationError):
    """Not possible in the object's present state: a transition from the wrong state, an unmet
    condition, data frozen by the lifecycle."""

    status = 409
    code = "wrong_state"
