from django.conf import settings


class ChineseByDefaultMiddleware:
    """The portal's pages speak Simplified Chinese until the user picks another language with the
    switch (the language cookie); the browser's Accept-Language does not override that. API
    clients (devices, other systems) still choose their language with Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.path.startswith("/api/"):
            request.META["HTTP_ACCEPT_LANGUAGE"] = settings.LANGUAGE_CODE
        return self.get_response(request)
