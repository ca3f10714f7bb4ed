"""Requests a second for the 1,000-post page under wrk, beside the same bytes as a static file.

gunicorn serves the run's database with production settings (2 workers, DEBUG off) on a free
port of 127.0.0.1. One server's answer to an anonymous reader is saved into the static files;
a second server, started like the first, then serves it through whitenoise, the page to
anonymous readers, and the page to members taking turns with 200 sessions (issue 10, target 3).
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

from .discussion import ensure_discussion
from .measure import BASE_DIR, Failed, Outcome, Target

WORKERS = 2
LOAD = ["-t2", "-c16", "-d10s"]
TARGETS = {"anonymous": 50, "member": 10}  # % of the static file's requests a second
LUA_SCRIPT = BASE_DIR / "bench" / "wrk_count.lua"
STATIC_PAGE = "bench/discussion.html"
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
READY_TIMEOUT_S = 60
FETCH_TIMEOUT_S = 60
WRK_TIMEOUT_S = 60  # a 10-second run, and time to connect and report
STOP_TIMEOUT_S = 15
GRACEFUL_TIMEOUT_S = 5


def throughput(bench):
    wrk = shutil.which("wrk")
    if wrk is None:
        raise Failed("wrk is not installed: apt-get install wrk (make bench installs it)")
    discussion = ensure_discussion(bench)
    anonymous = f"{settings.CSRF_COOKIE_NAME}={_csrf_secret()}"
    members = [_member_cookie(member) for member in discussion.members]
    static_path = urljoin("/", settings.STATIC_URL) + STATIC_PAGE
    with running_servers(bench) as start:
        first = start()
        page = first.fetch(discussion.path, anonymous)
        member_lengths = sorted(
            {len(_member_page(first, discussion, members, n)) for n in (0, len(members) // 2, -1)}
        )
        first.stop()
        static_file = Path(settings.STATIC_ROOT) / STATIC_PAGE
        static_file.parent.mkdir(parents=True, exist_ok=True)
        static_file.write_bytes(page)
        server = start()  # whitenoise finds static files when it starts
        if server.fetch(static_path) != page:
            raise Failed("the static file is not served as saved")
        runs = {
            "static": server.wrk(wrk, static_path, [], [len(page)]),
            "anonymous": server.wrk(wrk, discussion.path, [anonymous], [len(page)]),
            "member": server.wrk(wrk, discussion.path, members, member_lengths),
        }
    bench.versions |= {"gunicorn": version("gunicorn"), "wrk": _wrk_version(wrk)}
    static = runs["static"]["good_per_s"]
    figures = {"page_kb": round(len(page) / 1024), "member_page_lengths": member_lengths}
    figures |= {"workers": WORKERS, "load": " ".join(LOAD), "accounts": len(members), **runs}
    details, targets = [], []
    for name, run in runs.items():
        share = round(100 * run["good_per_s"] / static, 2) if static else None
        run["share_of_static_pct"] = share
        details.append(_detail(name, run))
        if name in TARGETS:
            who = "anonymous readers" if name == "anonymous" else f"{len(members)} members"
            title = f"issue 10, target 3: {who}, requests a second as a share of the static file's"
            targets.append(Target(title, share, TARGETS[name], "%"))
    line = (
        f"{figures['page_kb']} KB page, {' '.join(LOAD)}, {WORKERS} gunicorn workers: static "
        f"{static}/s, anonymous {runs['anonymous']['good_per_s']}/s "
        f"({runs['anonymous']['share_of_static_pct']}%), members "
        f"{runs['member']['good_per_s']}/s ({runs['member']['share_of_static_pct']}%)"
    )
    return Outcome(figures, line, details, targets)


def _csrf_secret():
    return get_random_string(32, CSRF_CHARS)  # the shape of Django's own CSRF cookie


def _member_cookie(member):
    client = Client()
    client.force_login(member)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = f"{settings.CSRF_COOKIE_NAME}={_csrf_secret()}"
    return f"{csrf}; {settings.SESSION_COOKIE_NAME}={session}"


def _member_page(server, discussion, cookies, number):
    """A member's page, which must name them: a session the server cannot read reads anonymous."""
    page = server.fetch(discussion.path, cookies[number])
    if discussion.members[number].get_username().encode() not in page:
        raise Failed("gunicorn did not read the members' sessions: their page does not name them")
    return page


class Server:
    """A gunicorn serving Parley on 127.0.0.1; stopped by its PID."""

    def __init__(self, bench, number):
        self.port = _free_port()
        self.log = bench.logs / f"gunicorn-{number}.log"
        self.logs = bench.logs
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "bench_gunicorn_settings",
            "PYTHONPATH": os.pathsep.join([str(bench.workdir), str(BASE_DIR)]),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "PARLEY_SITE_URL": f"http://127.0.0.1:{self.port}",
        }
        command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--error-logfile", str(self.log)]
        command += ["--graceful-timeout", str(GRACEFUL_TIMEOUT_S), "--no-control-socket"]
        command += ["config.wsgi:application"]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
        self._wait_until_listening()

    def _wait_until_listening(self):
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failed(f"gunicorn exited with {self.process.returncode}: {self._log_tail()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise Failed(f"gunicorn did not listen within {READY_TIMEOUT_S} s")

    def fetch(self, path, cookie=None):
        """The body of a 200 answer to GET path; anything else fails the scenario."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=FETCH_TIMEOUT_S)
        try:
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            why = f"HTTP {response.status}: {self._log_tail()}"
            raise Failed(f"gunicorn answered {path} with {why}")
        return body

    def wrk(self, wrk, path, cookies, lengths):
        """Run wrk against path; count only 200 answers whose body has one of the lengths."""
        name = f"wrk-{len(list(self.logs.glob('wrk-*.out')))}"
        config = self.logs / f"{name}.lua"
        quoted = ", ".join(json.dumps(cookie) for cookie in cookies)
        listed = ", ".join(str(length) for length in lengths)
        config.write_text(f"return {{ cookies = {{ {quoted} }}, lengths = {{ {listed} }} }}\n")
        url = f"http://127.0.0.1:{self.port}{path}"
        command = [wrk, *LOAD, "-s", str(LUA_SCRIPT), url, "--", str(config)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=WRK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise Failed(f"wrk took more than {WRK_TIMEOUT_S} s") from None
        (self.logs / f"{name}.out").write_text(run.stdout + run.stderr)
        counted = [line for line in run.stdout.splitlines() if line.startswith("wrk-count ")]
        if run.returncode != 0 or not counted:
            raise Failed(f"wrk exited with {run.returncode}: {run.stderr.strip()[-300:]}")
        result = json.loads(counted[-1].removeprefix("wrk-count "))
        result["good_per_s"] = round(result["good"] / (result["duration_us"] / 1e6), 1)
        return result

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's master stops its workers on SIGTERM
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _log_tail(self):
        lines = self.log.read_text().strip().splitlines() if self.log.exists() else []
        return " | ".join(lines[-3:])


@contextmanager
def running_servers(bench):
    """Start servers with start(); every one still running is stopped on the way out."""
    _settings_module(bench)
    servers = []

    def start():
        servers.append(Server(bench, len(servers) + 1))
        return servers[-1]

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def _settings_module(bench):
    """Parley's settings with the run's static files, as this process has them."""
    (bench.workdir / "bench_gunicorn_settings.py").write_text(
        "from config.settings import *  # noqa: F403\n\n"
        f"STATIC_ROOT = {str(settings.STATIC_ROOT)!r}\n"
    )


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wrk_version(wrk):
    run = subprocess.run([wrk, "--version"], capture_output=True, text=True, timeout=10)
    return (run.stdout or run.stderr).split(" [")[0].removeprefix("wrk ").strip()


def _detail(name, run):
    share = "" if name == "static" else f" = {run['share_of_static_pct']}% of static"
    # wrk leaves the answers that came after its 2 s timeout out of its latency figures.
    if run["timeouts"] < run["responses"]:
        latency = f"latency p50 {run['latency_p50_ms']} ms, p99 {run['latency_p99_ms']} ms"
        if run["timeouts"]:
            latency += " (of the answers within 2 s)"
    else:
        latency = "every answer took over 2 s"
    return (
        f"{name:<9} {run['good_per_s']}/s counted{share}; {run['responses']} responses, "
        f"{run['wrong_status']} not 200, {run['wrong_length']} of another length, "
        f"{run['timeouts']} over wrk's 2 s timeout, socket errors "
        f"{run['connect_errors'] + run['read_errors'] + run['write_errors']}; {latency}"
    )
