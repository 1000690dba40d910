"""API tokens (django-rest-knox): `Authorization: Token <token>` (CONTRACTS.md §4).

Only a SHA-512 digest of each token is stored; a token expires API_TOKEN_TTL_DAYS after it was
issued, can be listed and revoked by its owner (carbon_portal/api/accounts/), and every token of
a user is revoked when the password changes (carbon_portal/api/accounts/tokens.py).

The token's user is kept in the read cache (see read_cache.py): every API request looks its token
up, and under load that query was half the cost of an answer served from the read cache. The
(user, token) pair is kept under the data generation, which every committed write advances (a
revoked token, a deactivated user, a changed membership), so a revoked token stops working as
soon as its revocation commits; a kept token past its expiry is looked up again (and refused).
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication

from carbon_portal.core import data_generation

from . import read_cache


class CachedTokenAuthentication(TokenAuthentication):
    request = None  # DRF makes an authenticator per request

    def authenticate(self, request):
        self.request = request
        return super().authenticate(request)

    def authenticate_credentials(self, token):
        if not data_generation.enabled() or self.request is None:
            return super().authenticate_credentials(token)
        generation_now = read_cache.generation(self.request)
        if generation_now is None:  # the cache is down: look the token up
            return super().authenticate_credentials(token)
        cache_key = (f"portal:api:token:{generation_now}:"
                     f"{hashlib.sha256(token).hexdigest()}")
        known = caches["api_reads"].get(cache_key)
        if known is not None and (known[1].expiry is None or known[1].expiry > timezone.now()):
            return known
        user, auth_token = super().authenticate_credentials(token)  # raises: unknown, expired, inactive user
        caches["api_reads"].set(cache_key, (user, auth_token), timeout=settings.API_READ_CACHE_SECONDS)
        return user, auth_token


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "carbon_portal.api.authentication.CachedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
