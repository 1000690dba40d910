from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.translation import gettext as _

# What a visitor without a session may open anyway: the log-in itself, the password reset, static
# files, the language switch and the public label pages.
PUBLIC_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/password/reset/", "/static/", "/i18n/",
                   "/id/")
API_PREFIX = "/api/"


class RequireVerifiedMFAMiddleware:
    """A session of a user who needs a second factor counts only once it was passed in that session
    (django-otp's `is_verified`). Any other such session (made by a password-only login anywhere)
    is logged out on its first request, whatever the path:

    - pages are sent to the log-in (public pages go on as for an anonymous visitor);
    - API requests are refused with 403, unless they bring their own credentials (an API token or
      a device key in `Authorization`), which the API then checks as for any request without a
      session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and user.requires_mfa:
            logout(request)
            if request.path.startswith(API_PREFIX):
                if "HTTP_AUTHORIZATION" not in request.META:
                    return JsonResponse({"detail": _("Your role requires multi-factor login: sign in again with "
                                                     "your one-time password."), "code": "mfa_required"},
                                        status=403)
            elif not request.path.startswith(PUBLIC_PREFIXES):
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
