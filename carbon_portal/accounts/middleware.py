from django.shortcuts import redirect

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/", "/id/")


class RequireVerifiedMFAMiddleware:
    """A session of a user whose role needs a second factor counts only once the TOTP code was
    given (django-otp's `is_verified`); anything else is sent back to the log-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and user.requires_mfa and not user.is_verified()
                and not request.path.startswith(EXEMPT_PREFIXES)):
            from django.contrib.auth import logout

            logout(request)
            return redirect(f"/accounts/login/?next={request.path}")
        return self.get_response(request)
