"""The database is away (restarted, failed over, unreachable): answer 503 with Retry-After, never a
500 page with a traceback in the log as if the code were wrong.

`server_error` is the project's handler500 (carbon_portal/urls.py). Django calls it for every
exception a view or a middleware did not handle, still inside the `except` block, so the
exception is at hand: a `django.db.OperationalError` or `InterfaceError` (the connection was
refused, dropped or closed under the request) answers 503, as JSON `{"detail", "code":
"unavailable"}` under /api/ and as a short page elsewhere; any other exception gets Django's
own 500 page. Nothing here touches the database (no template context, no session, no user).

The next request needs no restart of the process: the connection that failed is closed at the
end of the request (Django closes a connection that had errors and is no longer usable), and a
persistent one that died while idle is checked before it is used (CONN_HEALTH_CHECKS,
settings/base.py).
"""

import json
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


def database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, (OperationalError, InterfaceError))


def unavailable_response(request) -> HttpResponse:
    message = _("The service is briefly unavailable. Please try again in a moment.")
    if request.path.startswith("/api/"):
        response = HttpResponse(json.dumps({"detail": message, "code": "unavailable"}, ensure_ascii=False),
                                status=503, content_type="application/json")
    else:
        title = _("Service unavailable")
        response = HttpResponse(
            f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>",
            status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    exception = sys.exc_info()[1]
    if database_unavailable(exception):
        logger.warning("database unavailable for %s %s: %s", request.method, request.path[:200], exception)
        return unavailable_response(request)
    return defaults.server_error(request, template_name)
