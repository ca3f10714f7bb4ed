"""The 500s of issue 9 that are fixed on other branches: the one place that lists them.

Each entry says which request fails and how. The sweeps count an entry's failures as expected
(xfail) and fail when an entry no longer fails, so an entry cannot outlive its bug: at merge,
delete the entries of the items merged and watch the sweeps pass. The random tests step over a
known failure so that they keep looking for new ones behind it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import DataError, connection
from django.urls import NoReverseMatch

from forum.markdown import render_markdown

from . import probe

BOTH = frozenset({"sqlite", "postgresql"})
FORM_SWEEP = "sweep of form fields"
URL_SWEEP = "sweep of path and query parameters"


@dataclass(frozen=True)
class KnownFailure:
    item: int  # its number in issue 9
    routes: frozenset[str]
    raises: type[Exception]
    when: Callable[[probe.Attack], bool]  # whether a request is one that triggers it
    found_by: str  # FORM_SWEEP or URL_SWEEP: the sweep that must meet it
    databases: frozenset[str] = BOTH

    def __str__(self):
        return f"issue 9 item {self.item}, fixed on another branch"

    def explains(self, route, attack, error):
        return (
            route in self.routes
            and connection.vendor in self.databases
            and isinstance(error, self.raises)
            and self.when(attack)
        )


def text(value):
    """A value as the view reads it: invalid UTF-8 replaced, as Django decodes a request."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def field(name, test):
    return lambda attack: any(test(text(value)) for value in attack.values(name))


def any_field(test):
    return lambda attack: any(test(text(value)) for _, value in (*attack.query, *attack.body))


def path(test):
    return lambda attack: test(attack.path)


def taken_for_a_url_name(value):
    """redirect() reverses a target with neither "/" nor "." as a URL name, and fails."""
    return value != "" and "/" not in value and "." not in value


def digit_but_not_decimal(value):
    """ "²" passes str.isdigit() and fails int()."""
    return value.strip().isdigit() and not value.strip().isdecimal()


def renders_to_nothing(value):
    return not render_markdown(value.encode("utf-8", "replace").decode()).strip()


MODERATION_ACTIONS = frozenset(
    f"moderation/{path}"
    for path in [
        "",
        "post/<int:pk>/approve/",
        "post/<int:pk>/remove/",
        "post/<int:pk>/remove-subtree/",
        "post/<int:pk>/spam/",
        "thread/<int:pk>/lock/",
        "thread/<int:pk>/unlock/",
        "thread/<int:pk>/premoderation/on/",
        "thread/<int:pk>/premoderation/off/",
        "user/<int:pk>/ban/",
        "user/<int:pk>/unban/",
    ]
)
NEW_POSTS = frozenset({"forum/new/", "forum/<slug:slug>/reply/", "forum/post/<int:pk>/reply/"})
ADMIN_FILTERS = frozenset(
    {"admin/forum/post/", "admin/forum/flag/", "admin/forum/moderationrecord/"}
)

KNOWN_FAILURES: list[KnownFailure] = [
    KnownFailure(
        item=1,
        routes=NEW_POSTS,
        raises=ValueError,  # "'ReplyForm' has no field named 'body_html'"
        when=field("body", renders_to_nothing),
        found_by=FORM_SWEEP,
    ),
    KnownFailure(
        item=2,
        routes=frozenset({"accounts/signup/"}),
        raises=NoReverseMatch,
        when=field("username", lambda value: "/" in value),
        found_by=FORM_SWEEP,
    ),
    KnownFailure(
        item=3,
        routes=MODERATION_ACTIONS
        | {"forum/post/<int:pk>/vote/", "forum/post/<int:pk>/flag/", "accounts/signup/"},
        raises=NoReverseMatch,
        when=field("next", taken_for_a_url_name),
        found_by=FORM_SWEEP,
    ),
    KnownFailure(
        item=3,  # a member who is logged in already is sent on to ?next= at once
        routes=frozenset({"accounts/signup/"}),
        raises=NoReverseMatch,
        when=field("next", taken_for_a_url_name),
        found_by=URL_SWEEP,
    ),
    KnownFailure(
        item=4,
        routes=frozenset({"forum/post/<int:pk>/reply/"}),
        raises=ValueError,
        when=field("thread", digit_but_not_decimal),
        found_by=FORM_SWEEP,
    ),
    KnownFailure(
        item=4,
        routes=frozenset({"moderation/post/<int:pk>/move/"}),
        raises=ValueError,
        when=field("target", digit_but_not_decimal),
        found_by=FORM_SWEEP,
    ),
    KnownFailure(
        item=5,
        routes=frozenset({"accounts/<str:username>/"}),
        raises=DataError,
        when=path(lambda path: "%00" in path),
        found_by=URL_SWEEP,
        databases=frozenset({"postgresql"}),
    ),
    KnownFailure(
        item=5,
        routes=ADMIN_FILTERS,
        raises=DataError,
        when=any_field(lambda value: "\x00" in value),
        found_by=URL_SWEEP,
        databases=frozenset({"postgresql"}),
    ),
]


def known_failure(route, attack, error, entries=KNOWN_FAILURES):
    return next((known for known in entries if known.explains(route, attack, error)), None)


def attack_past_known(site, route, attack):
    """Send the attack; a known failure is stepped over, anything else fails the test."""
    try:
        probe.attack(site.scene, site.baseline, attack)
    except Exception as error:
        if known_failure(route, attack, error) is None:
            raise


class Tally:
    """A sweep's failures, new and known, judged once the sweep is over."""

    def __init__(self, route, sweep):
        self.route, self.sweep = route, sweep
        self.expected = [
            known
            for known in KNOWN_FAILURES
            if route in known.routes
            and connection.vendor in known.databases
            and known.found_by == sweep
        ]
        self.new = []
        self.known = defaultdict(list)

    def send(self, site, attack):
        try:
            probe.attack(site.scene, site.baseline, attack)
        except Exception as error:
            if (known := known_failure(self.route, attack, error, self.expected)) is not None:
                self.known[known].append(attack)
            else:
                self.new.append((attack, error))

    def conclude(self):
        """Fail on a new failure or on a known one that is gone; xfail on known ones alone."""
        if self.new:
            lines = [f"{attack!r}: {type(error).__name__}: {error}" for attack, error in self.new]
            message = f"{len(self.new)} requests of the {self.sweep} failed:\n"
            raise AssertionError(message + "\n".join(lines[:20])) from self.new[0][1]
        if gone := [known for known in self.expected if known not in self.known]:
            pytest.fail(
                f"{', '.join(map(str, gone))}: no longer fails on {self.route!r}; "
                "delete its entry from tests/fuzz/known_failures.py"
            )
        if self.known:
            pytest.xfail("; ".join(f"{known}: {sent[0]!r}" for known, sent in self.known.items()))
