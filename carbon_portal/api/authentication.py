"""Token authentication with the token's user kept in the read cache (see read_cache.py).

Every API request looks its token up; under load that query was half the cost of an answer
served from the read cache. The (user, token) pair is kept under the data generation, which
every committed write advances (a deleted token, a deactivated user, a changed membership), so a
revoked token stops working as soon as its revocation commits.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from rest_framework.authentication import TokenAuthentication

from carbon_portal.core import data_generation

from . import read_cache


class CachedTokenAuthentication(TokenAuthentication):
    request = None  # DRF makes an authenticator per request

    def authenticate(self, request):
        self.request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        if not data_generation.enabled() or self.request is None:
            return super().authenticate_credentials(key)
        cache_key = (f"portal:api:token:{read_cache.generation(self.request)}:"
                     f"{hashlib.sha256(key.encode()).hexdigest()}")
        known = caches["api_reads"].get(cache_key)
        if known is not None:
            return known
        user, token = super().authenticate_credentials(key)  # raises for an unknown token or inactive user
        caches["api_reads"].set(cache_key, (user, token), timeout=settings.API_READ_CACHE_SECONDS)
        return user, token
