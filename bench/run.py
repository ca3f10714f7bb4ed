"""The benchmark behind `make bench`: speed and memory of imports, exports and big threads.

It never touches the developer's database: it runs against a fresh SQLite file in a temporary
directory, or against the PostgreSQL database named by BENCH_DATABASE_URL, which it creates
and drops. See bench/README.md for what each scenario measures.
"""

import argparse
import importlib
import json
import os
import platform
import secrets
import shutil
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .measure import BASE_DIR, Failed, stopwatch
from .summary import targets_table, write_performance_page

OUT_DIR = BASE_DIR / "bench" / "out"
# In this order: each import empties the database first, and the Disqus one leaves its 100k
# posts for the export and the tree check; the big thread is added last.
SCENARIOS = {
    "import-wxr-100k": "archives.import_wxr",
    "import-large-file-memory": "archives.large_file_memory",
    "import-disqus-100k": "archives.import_disqus",
    "export-100k": "archives.export",
    "check-trees-100k": "archives.check_trees",
    # Imports the Disqus archive twice (without and with search), then leaves it for the next.
    "search-100k": "search.search_100k",
    "thread-page-10k": "threads.thread_page",
    "concurrent-posting": "threads.concurrent_posting",
    # Its own discussions of 1k, 10k and 100k posts, beside whatever earlier scenarios left.
    "big-threads-100k": "big_threads.big_threads",
    # Its own two discussions, one followed by 10,000 accounts of its own.
    "notify-fanout-10k": "fanout.notify_fanout",
    # Both empty the database and import their own 1,000-post discussion, once for the two.
    "versus-xtd-1k": "versus.versus_xtd",
    "throughput-1k": "throughput.throughput",
}
LARGE_FILE_MB = 200


@dataclass
class Bench:
    """What every scenario gets: where to write, how big to go, and what earlier ones left."""

    workdir: Path
    scale: float
    large_mb: float
    vendor: str = ""
    state: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)  # of what the run measured, for the record

    @property
    def logs(self):
        return self.workdir / "logs"

    def count(self, full_size):
        return max(1, round(full_size * self.scale))


def arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--only", action="append", choices=SCENARIOS, help="run this scenario (repeatable)"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="shrink or grow every size (0.1 for a quick try)"
    )
    parser.add_argument(
        "--large-mb",
        type=float,
        help=f"size of the large-file import (default {LARGE_FILE_MB} MB times --scale)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (archives, logs, db)"
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be above 0")
    return args


def main(argv=None):
    args = arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="parley-bench-"))
    bench = Bench(workdir, args.scale, args.large_mb or round(LARGE_FILE_MB * args.scale, 1))
    postgres, failed = None, False
    try:
        postgres = configure_environment(workdir)
        setup_django(bench)
        results = {"started_at": datetime.now(UTC).isoformat(timespec="seconds")}
        results |= {"command": sys.argv, "scale": args.scale, **describe_setup(bench)}
        results["scenarios"] = {}
        print(heading(results), flush=True)
        for name in args.only or SCENARIOS:
            record = run_scenario(name, bench)
            failed |= record["status"] == "failed"
            results["scenarios"][name] = record
            write_results(results)
        results["machine"]["load_average_at_end"] = [round(n, 2) for n in os.getloadavg()]
        results["versions"] |= bench.versions
        write_results(results)
        table = targets_table(results)
        print("\n".join(["", *table, ""]) if table else "No scenario with a target ran.")
        page = write_performance_page(results, table)
        print(f"Load average at the end: {results['machine']['load_average_at_end'][0]}")
        print(f"Results: {(OUT_DIR / 'results.json').relative_to(BASE_DIR)}")
        print(f"Table, machine and versions: {page.relative_to(BASE_DIR)}")
    finally:
        cleanup(workdir, postgres, keep=args.keep)
    return 1 if failed else 0


def configure_environment(workdir):
    """Point Django at a throwaway database; return the PostgreSQL settings if that is used."""
    url, postgres = os.environ.get("BENCH_DATABASE_URL"), None
    if url:
        postgres = create_postgres_database(url)
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=f"bench-only-{secrets.token_urlsafe(32)}",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_DEBUG="0",  # measured as served in production
        PARLEY_SITE_URL="http://testserver",  # the host Django's test client asks for
    )
    # Never the developer's cache either; BENCH_REDIS_URL chooses one for the benchmark.
    os.environ.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return postgres


def create_postgres_database(url):
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("BENCH_DATABASE_URL must name a PostgreSQL database (SQLite needs none)")
    if "bench" not in config["NAME"]:
        raise SystemExit(
            f"Refusing to create and drop {config['NAME']!r}: the benchmark's database name "
            "must contain 'bench', e.g. postgres://postgres@127.0.0.1:5432/parley_bench"
        )
    postgres_admin(config, "DROP DATABASE IF EXISTS {}", "CREATE DATABASE {}")
    return config


def postgres_admin(config, *statements):
    import psycopg
    from psycopg import sql

    connection_settings = {
        key: config[name]
        for key, name in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
        if config.get(name)
    }
    if config.get("PASSWORD"):
        connection_settings["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **connection_settings) as admin:
        for statement in statements:
            admin.execute(sql.SQL(statement).format(sql.Identifier(config["NAME"])))


def setup_django(bench):
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    django.setup()
    bench.vendor = connection.vendor
    with stopwatch() as watch:
        call_command("migrate", interactive=False, verbosity=0)
    bench.state["migrate_s"] = round(watch.seconds, 1)
    # Pages are rendered with the production static storage, which needs its manifest.
    override_settings(STATIC_ROOT=bench.workdir / "static").enable()
    call_command("collectstatic", interactive=False, verbosity=0)


def describe_setup(bench):
    import django
    from django.db import connection

    database = connection.settings_dict
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "database": {
            "vendor": connection.vendor,
            "name": "temporary SQLite file" if bench.vendor == "sqlite" else database["NAME"],
        },
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(memory / 1024**3, 1),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "django": django.get_version(),
            # Other work on the machine slows every figure: the load says how busy it was.
            "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        },
        "versions": {"Python": platform.python_version(), "Django": django.get_version()},
    }


def heading(results):
    machine = results["machine"]
    return (
        f"Parley benchmark: {results['database']['name']} ({results['database']['vendor']}), "
        f"scale {results['scale']}, {machine['cpus']} CPUs, Python {machine['python']}, "
        f"Django {machine['django']}, load average {machine['load_average_at_start'][0]}"
    )


def run_scenario(name, bench):
    module_name, _, function_name = SCENARIOS[name].rpartition(".")
    scenario = getattr(importlib.import_module(f"bench.{module_name}"), function_name)
    print(f"… {name}", file=sys.stderr, flush=True)
    record, details = {}, []
    with stopwatch() as watch:
        try:
            outcome = scenario(bench)
        except Failed as reason:
            record, line = {"status": "failed", "reason": str(reason)}, f"FAILED: {reason}"
        except Exception as error:
            traceback.print_exc()
            record = {"status": "failed", "reason": f"{type(error).__name__}: {error}"}
            line = f"FAILED: {record['reason']}"
        else:
            record = {"status": "ok", **outcome.figures}
            line, details = outcome.line, outcome.details
            record["targets"] = [target.as_dict() for target in outcome.targets]
    record["line"] = line
    record["scenario_s"] = round(watch.seconds, 1)
    print(f"{name:<25} {line}", flush=True)
    for detail in details:
        print(f"{'':<27}{detail}", flush=True)
    return record


def write_results(results):
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / "results.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")


def cleanup(workdir, postgres, *, keep):
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    if postgres is not None and not keep:
        postgres_admin(postgres, "DROP DATABASE IF EXISTS {}")
    if keep:
        print(f"Kept {workdir}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
