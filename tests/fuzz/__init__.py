"""The fuzz suite: the whole site attacked with hostile input, as a hostile visitor would.

What it covers
    Every URL pattern, read from the resolver (``django.urls.get_resolver``, ``routes.py``),
    and every form, read from the HTML of the pages that offer it (``catalogue.py``), so a new
    view, form or field is attacked without a line here changing. Each is attacked as an
    anonymous visitor, a member and a moderator (staff, in the Moderators group), in a small
    forum built once for the package (``scene.py``): threads open, locked and of an article,
    posts in every status, a report, a ban, and a password-reset link followed by the
    anonymous visitor. Not covered: pages only a superuser reaches (the admin's user, group and
    article pages, and the comment import upload), and failures that need two requests at once
    or a service down.

What it sends (``hostile.py``)
    NUL bytes, invalid UTF-8 and lone surrogates, percent-encoded garbage, non-ASCII digits
    (``²``, ``٣``), huge and negative numbers, ``next`` values of every shape (``abc``,
    ``post-1``, ``x#y``, ``//evil.example``, ``javascript:``, ``\\evil``), Markdown that renders
    to nothing, overlong text, absent and repeated fields, and wrong methods.

What fails it
    Any 5xx (the database is up throughout) and any write made by a refused request: a request
    answered 4xx must leave every row of the accounts, admin, articles, auth and forum tables as
    it was (``probe.py``). A 3xx or 2xx success may write. Each request runs in a savepoint that
    is rolled back, so each meets the same rows.

How it runs
    Two deterministic sweeps give each field, and each path and query parameter, one value of
    each kind of trouble (``sweeps.py``); two Hypothesis tests then mix them at random
    (``strategies.py``): several hostile fields at once, absent and repeated fields, any
    method, any role. Hypothesis is
    derandomized with no example database, so a run is the same on every machine; its budget is
    ``PARLEY_FUZZ_EXAMPLES`` examples per route and test (default below), which keeps the whole
    package near a minute on SQLite. PostgreSQL matters too: only it refuses NUL in text.

Known failures
    A 500 that cannot be fixed at once is listed in ``known_failures.py`` with its issue: the
    sweeps expect it, and fail the day it stops failing. None is listed today.
"""

import os

from hypothesis import HealthCheck, Phase, settings

DEFAULT_EXAMPLES = 20

settings.register_profile(
    "parley-fuzz",
    max_examples=int(os.environ.get("PARLEY_FUZZ_EXAMPLES") or DEFAULT_EXAMPLES),
    derandomize=True,
    database=None,
    deadline=None,  # a request's time is measured by `make bench`, not here
    # A failure is reported as found: its values are short already, and shrinking a request
    # that fails costs more runs than the whole budget.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ_SETTINGS = settings.get_profile("parley-fuzz")
