"""Django's local-memory and Redis caches, without the checks that keys would suit memcached.

Every cache call checks its key against memcached's rules (length, spaces, control characters)
and warns where memcached would refuse it. Parley never uses memcached, and neither of these
backends minds such keys; the check cost a cold discussion page about 2% of its time, through a
hundred keys (each tree's fragment read, then kept). Django's documentation suggests exactly this
for a backend that accepts a wider range of keys: override validate_key.
"""

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache


class LocalMemoryCache(LocMemCache):
    def validate_key(self, key):
        pass


class RedisServerCache(RedisCache):
    def validate_key(self, key):
        pass
