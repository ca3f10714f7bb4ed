"""django-comments-xtd beside Parley: its own throwaway virtualenv, the same discussion, its page.

The peer runs in child processes with packages of its own (the project in bench/xtd_site), so
none of them meets Parley's. Its page process renders on request, one page at a time, so that
the benchmark can take turns between the two pages.
"""

import json
import os
import secrets
import select
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import django

from .measure import Failed, stopwatch

XTD_VERSION = "2.10.13"
XTD_SITE_PARENT = Path(__file__).resolve().parent  # bench/, which holds the xtd_site package
INSTALL_TIMEOUT_S = 600
LOAD_TIMEOUT_S = 600
ANSWER_TIMEOUT_S = 120  # one render of the 1,000-comment page takes about a second
STOP_TIMEOUT_S = 10


@dataclass
class Peer:
    """An installed xtd: the virtualenv's Python, the environment its project runs with."""

    python: Path
    env: dict
    workdir: Path
    logs: Path
    install_s: float


def install(bench):
    """A fresh virtualenv in the run's directory, with xtd and the Django that Parley runs on.

    The same Django on both sides, within what xtd supports, so the pages differ only in the
    apps that render them.
    """
    workdir = bench.workdir / "xtd"
    workdir.mkdir(exist_ok=True)
    venv = workdir / "venv"
    packages = [f"django-comments-xtd=={XTD_VERSION}", f"Django=={django.get_version()}"]
    with stopwatch() as watch:
        _run([sys.executable, "-m", "venv", venv], "xtd-venv", bench.logs, os.environ)
        pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", *packages]
        _run(pip, "xtd-pip-install", bench.logs, os.environ)
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "PARLEY"))
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env |= {
        "DJANGO_SETTINGS_MODULE": "xtd_site.settings",
        "PYTHONPATH": str(XTD_SITE_PARENT),
        "XTD_DATABASE": str(workdir / "xtd.sqlite3"),
        "XTD_SECRET_KEY": f"bench-only-{secrets.token_urlsafe(32)}",
    }
    return Peer(venv / "bin" / "python", env, workdir, bench.logs, round(watch.seconds, 1))


def load(peer, posts, slug):
    """Store the discussion's posts as xtd comments; return the page and comment id -> number."""
    records, mapping = peer.workdir / "records.json", peer.workdir / "comment-ids.json"
    records.write_text(json.dumps([post.as_record() for post in posts.values()]))
    command = [peer.python, "-m", "xtd_site.load", records, slug, mapping]
    with stopwatch() as watch:
        _run(command, "xtd-load", peer.logs, peer.env, timeout=LOAD_TIMEOUT_S)
    number_of = {int(pk): number for pk, number in json.loads(mapping.read_text()).items()}
    return f"/stories/{slug}/", number_of, round(watch.seconds, 1)


def _run(command, name, logs, env, timeout=INSTALL_TIMEOUT_S):
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{name}.out", "w") as out:
        try:
            finished = subprocess.run(
                [str(part) for part in command],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise Failed(f"{name} took more than {timeout} s") from None
    if finished.returncode != 0:
        tail = (logs / f"{name}.out").read_text().strip().splitlines()[-3:]
        raise Failed(f"{name} exited with {finished.returncode}: {' | '.join(tail)}")


class XtdPage:
    """xtd's page of the story, rendered through Django's test client in the peer's process."""

    def __init__(self, peer, path):
        self.errors = peer.logs / "xtd-page.err"
        with open(self.errors, "w") as errors:
            self.process = subprocess.Popen(
                [str(peer.python), "-m", "xtd_site.timer", path],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=peer.env,
                text=True,
            )

    def render(self):
        """Render the page once; return how long it took, in seconds."""
        answer = self._ask("render")
        if answer["status"] != 200:
            raise Failed(f"xtd's page answered HTTP {answer['status']}")
        return answer["seconds"]

    def html(self, path):
        self._ask(f"save {path}")
        return path.read_text(encoding="utf-8")

    def versions(self):
        return self._ask("versions")

    def _ask(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_TIMEOUT_S)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            tail = self.errors.read_text().strip().splitlines()[-3:]
            why = "stopped" if ready else f"gave no answer in {ANSWER_TIMEOUT_S} s"
            raise Failed(f"xtd's page process {why}: {' | '.join(tail)}")
        return json.loads(line)

    def stop(self):
        """End the process by its PID: closing its input ends it, a kill if it does not."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


@contextmanager
def xtd_page(peer, path):
    page = XtdPage(peer, path)
    try:
        yield page
    finally:
        page.stop()
