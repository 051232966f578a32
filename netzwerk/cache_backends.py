"""A Redis cache that fails open: without Redis the site is slower, never broken.

Every cache read then is a miss and every write is dropped, so pages are rendered
without the cache. The first failed operation (refused, or no answer within the
socket timeout set from CACHE_TIMEOUT_MS) is logged once; for CACHE_RETRY_SECONDS
after it, this process does not ask Redis at all, so a Redis that hangs costs one
timeout per worker and period, not one per request. The next operation after that
period tries again; a success is logged once as well.
"""

import logging
import threading
import time

import redis
from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("netzwerk.cache")

# Shared by all cache objects of the process (Django makes one per thread), keyed by servers.
_lock = threading.Lock()
_down_until = {}


def retry_seconds():
    return getattr(settings, "CACHE_RETRY_SECONDS", 5)


def forget_outages():
    with _lock:
        _down_until.clear()


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._outage_key = tuple(self._servers)

    # --- the outage state -----------------------------------------------------------------

    def is_available(self):
        until = _down_until.get(self._outage_key)
        return until is None or time.monotonic() >= until

    def _failed(self, operation, error):
        with _lock:
            new = self._outage_key not in _down_until
            _down_until[self._outage_key] = time.monotonic() + retry_seconds()
        if new:
            logger.error("Cache %s unavailable (%s in %s: %s); pages are rendered without it, next try in %s s",
                         ",".join(self._servers), type(error).__name__, operation, error, retry_seconds())

    def _succeeded(self):
        if self._outage_key in _down_until:
            with _lock:
                _down_until.pop(self._outage_key, None)
            logger.warning("Cache %s available again", ",".join(self._servers))

    def _guarded(self, operation, fallback, *args, **kwargs):
        if not self.is_available():
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except (redis.RedisError, OSError) as error:
            self._failed(operation, error)
            return fallback
        self._succeeded()
        return result

    # --- Django's cache API -----------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        result = self._guarded("incr", _MISSING, key, delta, version)
        if result is _MISSING:
            # As for a missing key: callers fall back to set() (which is dropped as well).
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def clear(self):
        return self._guarded("clear", False)


_MISSING = object()
