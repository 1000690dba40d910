"""Django's Redis cache, keeping its client.

Django's client builds a new ``redis.Redis`` (with its table of some 300 response callbacks) for
every cache call; on the API's cached reads that was a third of the time spent on the cache. The
connection pool was already shared; now the client on it is too (redis-py clients are safe to
share, and Django gives each thread its own cache object anyway).
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _KeptClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClient
