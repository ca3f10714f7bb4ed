"""500s the fuzz suite knows of and that are not fixed yet: the one place that lists them.

Each entry says which request fails and how. The sweeps count an entry's failures as expected
(xfail) and fail when an entry no longer fails, so an entry cannot outlive its bug: at merge,
delete the entries of the items merged and watch the sweeps pass. The random tests step over a
known failure so that they keep looking for new ones behind it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection

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
        return f"issue 9 item {self.item}, not fixed yet"

    def explains(self, route, attack, error):
        return (
            route in self.routes
            and connection.vendor in self.databases
            and isinstance(error, self.raises)
            and self.when(attack)
        )


# A 500 the suite finds that cannot be fixed at once is listed here, with its issue, so the
# sweeps expect it and fail the day it stops failing. Every one listed so far is fixed.
KNOWN_FAILURES: list[KnownFailure] = []


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
