"""`make lighthouse`: Lighthouse on the seeded article, served by gunicorn as in production.

A throwaway SQLite database gets the seed; gunicorn serves it with DEBUG off on 127.0.0.1; the
pinned Lighthouse (package.json) drives Debian's Chromium against the article page and the four
category scores go to docs/lighthouse.md, with the versions and the command. It fails when a
score misses its target.
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
REPORT = ROOT / "docs" / "lighthouse.md"
CHROMIUM = "/usr/bin/chromium"
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
READY_TIMEOUT_S = 30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci`")
    with tempfile.TemporaryDirectory(prefix="parley-lighthouse-") as workdir:
        env = server_environment(Path(workdir), args.port)
        for command in (["migrate", "--verbosity", "0"], ["load_seed"], ["collectstatic"]):
            extra = ["--noinput", "--verbosity", "0"] if command == ["collectstatic"] else []
            manage = [sys.executable, "manage.py", *command, *extra]
            subprocess.run(manage, cwd=ROOT, env=env, check=True)
        bind = f"127.0.0.1:{args.port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", bind],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{args.port}"
            url = base + article_path(base)
            scores, versions = audit(url, Path(workdir) / "report.json")
        finally:
            server.terminate()  # gunicorn's master stops its workers on SIGTERM
            server.wait(timeout=30)
    write_report(url, scores, versions)
    missed = {name: score for name, score in scores.items() if score < TARGETS[name]}
    if missed:
        sys.exit(f"below target: {missed} (targets {TARGETS})")


def server_environment(workdir, port):
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "PARLEY_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DJANGO_SECURE_COOKIES": "0",  # served over plain HTTP on this machine
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("REDIS_URL", None)
    return env


def article_path(base):
    """The seeded article's path, read off the front page as a reader would find it."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:
                home = response.read().decode()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    return re.search(r'href="(/articles/[^"]+/)"', home).group(1)


def audit(url, output):
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        "--only-categories=" + ",".join(TARGETS),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    subprocess.run(command, cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True)
    report = json.loads(output.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in TARGETS}
    versions = {
        "lighthouse": report["lighthouseVersion"],
        "chromium": report["environment"]["hostUserAgent"],
    }
    for name, category in report["categories"].items():
        failing = [
            ref["id"]
            for ref in category["auditRefs"]
            if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1
        ]
        if failing:
            print(f"{name}: audits below full marks: {', '.join(failing)}")
    return scores, versions


def write_report(url, scores, versions):
    rows = "\n".join(f"| {name} | {scores[name]} | {TARGETS[name]} |" for name in TARGETS)
    REPORT.write_text(
        "# Lighthouse scores of the seeded article\n\n"
        "Measured by `make lighthouse` (bench/lighthouse.py): gunicorn with DEBUG off serving a\n"
        "fresh SQLite database with the seed, Lighthouse's default mobile emulation and\n"
        "simulated throttling, Debian's Chromium.\n\n"
        f"Page: `{urlsplit(url).path}`  \n"
        f"Measured: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  \n"
        f"Lighthouse {versions['lighthouse']}; {versions['chromium']}\n\n"
        "| Category | Score | Target |\n|---|---|---|\n"
        f"{rows}\n"
    )
    print(REPORT.read_text())


if __name__ == "__main__":
    main()
