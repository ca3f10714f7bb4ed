"""How the benchmark measures: wall time, a child process's own peak memory, latencies."""

import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


class Failed(Exception):
    """The measured code ran but did not do its job; the figures would mean nothing."""


@dataclass(frozen=True)
class Target:
    """One of an issue's targets as measured: at least (or at most) goal, in unit."""

    name: str
    measured: float | None  # None: the run could not measure it, said in note
    goal: float
    unit: str  # "x" for a ratio, "%" for a share
    at_least: bool = True
    note: str = ""

    @property
    def met(self):
        if self.measured is None:
            return False
        return self.measured >= self.goal if self.at_least else self.measured <= self.goal

    @property
    def verdict(self):
        """Met, or missed by how much: the factor the measured figure is away from the goal."""
        if self.measured is None:
            return "not measured"
        if self.met:
            return "met"
        if self.measured <= 0:
            return f"missed (measured {self.measured}{self.unit})"
        factor = self.goal / self.measured if self.at_least else self.measured / self.goal
        return f"missed by {factor:.1f}x"

    def as_dict(self):
        return {
            "name": self.name,
            "measured": self.measured,
            "unit": self.unit,
            "goal": f"{'>=' if self.at_least else '<='} {self.goal}{self.unit}",
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass
class Outcome:
    """A scenario's figures, its one-line summary, lines of detail, and the targets it checks."""

    figures: dict
    line: str
    details: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)


@dataclass
class ChildRun:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str

    def check(self, what):
        if self.returncode != 0:
            tail = (self.stderr or self.stdout).strip().splitlines()[-5:]
            raise Failed(f"{what} exited with {self.returncode}: {' | '.join(tail)}")
        return self


def run_manage(*args, logs):
    """Run `manage.py args` in a child process; return its wall time and its own peak RSS.

    os.wait4 reports the usage of that one child, where getrusage(RUSAGE_CHILDREN) would
    report the largest of every child waited for so far.
    """
    logs.mkdir(parents=True, exist_ok=True)
    name = "-".join(Path(str(arg)).name.lstrip("-") for arg in args[:3])
    out_path, err_path = logs / f"{name}.out", logs / f"{name}.err"
    command = [sys.executable, str(BASE_DIR / "manage.py"), *map(str, args)]
    with open(out_path, "w") as out, open(err_path, "w") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=BASE_DIR, env=os.environ)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(
        seconds=seconds,
        peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
        returncode=child.returncode,
        stdout=out_path.read_text(),
        stderr=err_path.read_text(),
    )


@contextmanager
def stopwatch():
    """Measure the block: `with stopwatch() as watch: ...`, then watch.seconds."""
    watch = _Watch()
    start = time.perf_counter()
    try:
        yield watch
    finally:
        watch.seconds = time.perf_counter() - start


class _Watch:
    seconds = 0.0


def latency_ms(seconds):
    """Median, 95th percentile and maximum of a list of durations, in milliseconds."""
    if not seconds:
        return {"p50_ms": None, "p95_ms": None, "max_ms": None}
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def file_mb(path):
    return round(os.path.getsize(path) / MB, 1)
