"""Records refusals in the security log and makes the request being served known to the
receivers that record events from model signals (`events.current_request`)."""

from .events import record_event, reset_current_request, set_current_request
from .models import EventKind, Outcome

API_PREFIX = "/api/"


class SecurityEventMiddleware:
    """403 answers to signed-in users, and 401 answers of the API, become `permission_denied`
    events. Goes after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_request(request)
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
            if (response.status_code == 403 and authenticated) or (
                    response.status_code == 401 and request.path.startswith(API_PREFIX)):
                record_event(kind=EventKind.PERMISSION_DENIED, request=request, outcome=Outcome.DENIED,
                             status=response.status_code, method=request.method)
            return response
        finally:
            reset_current_request(token)
