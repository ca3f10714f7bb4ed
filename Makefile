# Parley: `make run` serves the seeded site on http://127.0.0.1:8000, `make test` runs the suite.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after each install, so the venv is re-synced only when the lock changes.
INSTALLED := $(VENV)/.installed-from-lock

.PHONY: run serve worker test lint format lock clean-db bench lighthouse

run serve worker test lint format bench lighthouse: $(INSTALLED)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Parley needs Python 3.11 or newer: make PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

# Another port: make run PORT=8080 (PARLEY_SITE_URL follows it, so full URLs point here too).
PORT ?= 8000
run: export DJANGO_DEBUG := 1
run: export PARLEY_SITE_URL ?= http://127.0.0.1:$(PORT)
run:
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py ensure_admin
	@# The task worker runs beside the server and stops with it, however the server ends.
	$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: debug off, so DJANGO_SECRET_KEY and PARLEY_SITE_URL must be set (README).
# Rendering is CPU-bound Python, so one worker per core and one more to cover a worker blocked
# on the database; two threads each for the waits on PostgreSQL and Redis.
SERVE_BIND ?= 127.0.0.1:8000
SERVE_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
SERVE_THREADS ?= 2
serve:
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn config.wsgi --bind $(SERVE_BIND) --workers $(SERVE_WORKERS) \
		--threads $(SERVE_THREADS) --access-logfile -

# Production's task worker (notifications, mail, digests): run one or more beside `make serve`.
worker:
	$(BIN)/python manage.py run_worker

test:
	$(BIN)/pytest $(PYTEST_ARGS)

# Speed and memory figures on a throwaway database: BENCH_ARGS="--scale 0.1" for a quick run.
# wrk loads the server in the throughput scenario; Debian packages it.
bench:
	command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Lighthouse (pinned in package.json) on the seeded article served by gunicorn; the scores go to
# docs/lighthouse.md. Needs Node and npm, and Debian's Chromium.
LIGHTHOUSE_PORT ?= 8765
lighthouse:
	test -x node_modules/.bin/lighthouse || npm ci --no-audit --no-fund --ignore-scripts
	CHROME_PATH=/usr/bin/chromium $(BIN)/python -m bench.lighthouse --port $(LIGHTHOUSE_PORT)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Resolved against PyPI alone, whatever mirrors this machine's pip is configured with, so the
# lock installs anywhere. LOCK_ARGS=--upgrade moves every pin to the newest release.
lock: | $(BIN)/python
	test -x $(BIN)/pip-compile || $(BIN)/pip install --quiet pip-tools
	env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
		$(BIN)/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe --strip-extras \
		--index-url https://pypi.org/simple --no-emit-index-url --no-emit-find-links \
		$(LOCK_ARGS) -o requirements.lock pyproject.toml

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm db.sqlite3-journal
