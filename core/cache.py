"""A Redis cache that degrades to no cache while Redis is unreachable.

Reading pages must not depend on the cache: when Redis goes away, `get` misses, `set` and
`delete` do nothing, and the outage is logged once (and its end once), not per request.
For `COOLDOWN` seconds after a failure the process does not try Redis at all, so a dead
server costs no connection timeouts per request.

Rate limits must fail safe instead (a refusal, never unlimited): `core.throttle` uses
`strict_cache()`, which raises `CacheUnavailable` while Redis is unreachable.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

COOLDOWN = 5.0  # seconds without trying Redis after a failure


class CacheUnavailable(Exception):
    """The shared cache cannot be reached."""


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` for every cache operation, and each copies its table
    of response callbacks (about 170 entries): half the CPU of a cache read. The client is a
    thread-safe wrapper round its pool, so one per pool serves every operation.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # kept in self._pools for the process
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache whose reads and writes degrade to misses and no-ops during an outage."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0
        self._outage_logged = False

    def _call(self, default, operation, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            result = operation(*args, **kwargs)
        except _redis_errors() as error:
            self._down_until = time.monotonic() + COOLDOWN
            if not self._outage_logged:
                self._outage_logged = True
                logger.error("Cache unreachable, serving without it: %s", error)
            return default
        if self._outage_logged:
            self._outage_logged = False
            logger.warning("Cache reachable again")
        return result

    def _strict_call(self, operation, *args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except _redis_errors() as error:
            raise CacheUnavailable(str(error)) from error

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def clear(self):
        return self._call(None, super().clear)

    # Counting (rate limits, lockouts) must know when it cannot count.
    def incr(self, key, delta=1, version=None):
        return self._strict_call(super().incr, key, delta, version)

    def strict_add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._strict_call(super().add, key, value, timeout, version)

    def strict_get_many(self, keys, version=None):
        return self._strict_call(super().get_many, keys, version)

    def strict_set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._strict_call(super().set, key, value, timeout, version)

    def ping(self) -> bool:
        """True when Redis answers now (for /healthz); never raises."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except _redis_errors():
            return False


class StrictCache:
    """The default cache, with every operation raising CacheUnavailable during an outage."""

    def __init__(self, backend):
        self._backend = backend
        self._resilient = isinstance(backend, ResilientRedisCache)

    def add(self, key, value, timeout):
        if self._resilient:
            return self._backend.strict_add(key, value, timeout)
        return self._backend.add(key, value, timeout)

    def set(self, key, value, timeout):
        if self._resilient:
            return self._backend.strict_set(key, value, timeout)
        return self._backend.set(key, value, timeout)

    def get(self, key):
        return self.get_many([key]).get(key)

    def get_many(self, keys):
        if self._resilient:
            return self._backend.strict_get_many(keys)
        return self._backend.get_many(keys)

    def incr(self, key):
        return self._backend.incr(key)

    def delete_many(self, keys):
        return self._backend.delete_many(keys)


def strict_cache() -> StrictCache:
    return StrictCache(caches["default"])


def cache_healthy() -> bool:
    """True unless the shared cache is a Redis that does not answer."""
    ping = getattr(caches["default"], "ping", None)
    return ping() if ping is not None else True
