"""What the portal views share: the role gate, running a service for a form, safe redirects.

The gate only decides which portal a person may open (a verifier has no officer pages); what
they see inside comes from selectors scoped to them, and what they may do from the services and
the lifecycle, which refuse anything else.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from carbon_portal.core.errors import ApplicationError, InvalidInput, NotFound, PermissionDenied
from workflows.lifecycle import TRANSITION_LABELS

from ..selectors import user_roles


def role_required(*roles):
    """Log-in required, and one of `roles` (else 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not user_roles(request.user) & set(roles):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def found(read, *args, **kwargs):
    """Call a selector that raises NotFound; answer 404 instead."""
    try:
        return read(*args, **kwargs)
    except NotFound as error:
        raise Http404(str(error)) from None


def run_service(form, call, *, invalid_field=None):
    """Run `call()`; a refusal becomes an error of `form` (next to `invalid_field` for bad input,
    above the form for a step not possible now). Returns (ok, value, status): the status is the
    refusal's (400 bad input, 409 conflict). NotFound -> 404; PermissionDenied propagates (403)."""
    field = invalid_field if invalid_field in form.fields else None
    try:
        return True, call(), 200
    except NotFound as error:
        raise Http404(str(error)) from None
    except PermissionDenied:
        raise
    except ApplicationError as error:
        form.add_error(field if isinstance(error, InvalidInput) else None, str(error))
        return False, None, error.status
    except DjangoValidationError as error:
        form.add_error(field, "; ".join(error.messages))
        return False, None, InvalidInput.status


def transition_label(name: str) -> str:
    return str(TRANSITION_LABELS.get(name, name))


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return default
