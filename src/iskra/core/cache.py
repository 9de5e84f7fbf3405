"""Django's Redis cache where Redis being away is a cache miss, not an error.

Without this, a stopped Redis turned every page into a 500. With it, pages are rendered
from the database (slower) while Redis is away, and cached again once it is back:
- every read misses and every write is dropped; ``incr`` raises ``ValueError``, as for a
  missing key (django-ratelimit then counts from one: the form's limit is not enforced
  while Redis is away);
- after a failure Redis is not asked again for ``RETRY_SECONDS``, so a request does not
  wait for a connection timeout on each of its cache calls;
- when Redis answers again, the site generation is moved on (``page_cache``), since
  pages published while it was away did not move it and older cached copies must go.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
_AWAY = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache``, surviving Redis being away."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._away_until = 0.0  # monotonic time before which Redis is not asked
        self._was_away = False

    def _call(self, method, miss, *args, **kwargs):
        if time.monotonic() < self._away_until:
            return miss()
        try:
            found = getattr(super(), method)(*args, **kwargs)
        except _AWAY as error:
            if not self._was_away:
                logger.warning("Redis is away (%s): serving without the cache", error)
            self._away_until = time.monotonic() + RETRY_SECONDS
            self._was_away = True
            return miss()
        if self._was_away:
            self._was_away = False
            logger.warning("Redis is back: the cache is used again")
            self._after_outage()
        return found

    def _after_outage(self):
        from .page_cache import GENERATION_KEY  # the page cache's own key

        try:
            super().add(GENERATION_KEY, 1, timeout=None)
            super().incr(GENERATION_KEY)
        except _AWAY + (ValueError,):
            self._was_away = True

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (Redis is away)")

        return self._call("incr", missing, key, delta, version)
