"""The API's default permission (REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"])."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission


class IsAuthenticatedWithMfa(BasePermission):
    """Authenticated; and a user whose role requires MFA, coming with a browser session, must
    have passed the one-time password in that session (API tokens are only issued after it;
    device keys are not people and have no role)."""

    message = _("Your role requires multi-factor login: sign in again with your one-time password.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if isinstance(request.successful_authenticator, SessionAuthentication) and user.requires_mfa:
            return bool(getattr(user, "is_verified", lambda: False)())
        return True


class SchemaAccess(IsAuthenticatedWithMfa):
    """The OpenAPI schema and its docs (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]): anyone while
    API_SCHEMA_PUBLIC is on, else signed-in users only (the default in production)."""

    def has_permission(self, request, view):
        return settings.API_SCHEMA_PUBLIC or super().has_permission(request, view)
