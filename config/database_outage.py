"""While the database cannot be reached: a 503 page saying so, rendered from templates alone."""

import logging
from functools import wraps

from django.db import OperationalError, connection, connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds: about what a database restart or a failover to a replica takes


def database_unreachable(error: BaseException) -> bool:
    """Whether error is a failure to connect to the database, rather than an error in a query."""
    # A failed connect leaves the wrapper without a connection (and a rollback that finds the
    # server gone drops it); a query that fails on a live connection keeps it.
    return isinstance(error, OperationalError) and any(
        wrapper.connection is None for wrapper in connections.all(initialized_only=True)
    )


def service_unavailable() -> HttpResponse:
    """The 503 page; it needs no database, no session and no user."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)  # no proxy may keep serving it once the database is back
    return response


class DatabaseOutageMiddleware:
    """Answer 503 instead of a server error when a view cannot connect to the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None  # any other database error is a bug to see as one: a 500
        logger.warning("The database is unreachable; answering 503: %s", exception)
        return service_unavailable()


def database_required(view):
    """Connect before the view runs, so its form is not shown while it could not be sent."""

    @wraps(view)
    def connected_view(request, *args, **kwargs):
        connection.ensure_connection()
        return view(request, *args, **kwargs)

    return connected_view
