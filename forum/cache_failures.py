"""The shared cache failing: what a failure is, and the warning each fallback logs.

Nothing the site must do depends on the cache alone. A caller catches CACHE_FAILURES, falls
back to the database or does without, and says which with log_cache_failure().
"""

import logging

import redis

logger = logging.getLogger(__name__)

# Django's cache API has no exception of its own: a backend raises its client's errors,
# redis-py's for Redis, socket errors (OSError) for the memcached clients.
CACHE_FAILURES = (redis.RedisError, OSError)


def log_cache_failure(error: Exception, fallback: str) -> None:
    """Warn that the cache failed and what the site does instead."""
    logger.warning("The cache is unavailable (%s: %s); %s.", type(error).__name__, error, fallback)
