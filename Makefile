# OpenKAM: `make run` and `make test` are the whole quick start (see README).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_ACCOUNTS ?= 300
DEMO_YEARS ?= 4
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup python-deps assets browser run test lint types pytest migrate demo lock messages clean

setup: python-deps assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

python-deps: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

openkam/static/vendor/.copied: node_modules/.installed scripts/vendor_assets.sh
	bash scripts/vendor_assets.sh
	touch $@

assets: openkam/static/vendor/.copied

migrate: setup
	$(BIN)/openkam migrate --noinput -v0
	$(BIN)/openkam collectstatic --noinput -v0

# OPENKAM_DEMO=1: the demo's logins share a public password, so the command refuses to run
# with DEBUG off unless told this is a demo.
demo: migrate
	OPENKAM_DEMO=1 $(BIN)/openkam demo --if-empty --accounts $(DEMO_ACCOUNTS) --years $(DEMO_YEARS)
	# The demo refreshed six and three months ago and today (the last two quarterly reviews, so
	# the dashboard shows changes and tier moves, and plan reviews compare real snapshots); this
	# refresh computes the company-wide dashboard.
	$(BIN)/openkam refresh

# The background worker (imports handed off by the upload page) runs beside the server and is
# stopped with it, however the server ends (Ctrl+C, an error).
run: demo
	@echo ""
	@echo "OpenKAM is starting on http://127.0.0.1:$(PORT)/ with its background worker (openkam db_worker)"
	@echo "Demo mode (OPENKAM_DEMO=1): log in as executive, director, kam, kam2, analyst or viewer; password: $${OPENKAM_DEMO_PASSWORD:-openkam-demo}"
	@echo "These logins share a public password: never run the demo on a production database."
	@echo ""
	@worker=; if [ "$${OPENKAM_TASKS_BACKEND:-database}" = database ]; then \
	  $(BIN)/openkam db_worker --no-startup-delay & worker=$$!; \
	fi; \
	trap '[ -z "$$worker" ] || { kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; }' EXIT; \
	$(BIN)/openkam runserver 127.0.0.1:$(PORT)

# Debian packages the tests use: chromium (browser tests), CJK fonts (screenshots) and
# gettext (the translation-catalogue check). Installed when missing and we are root.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v xgettext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium, fonts-noto-cjk and gettext for the tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 >/dev/null) \
	      || echo "WARNING: could not install chromium/gettext; those tests will be skipped (failed under CI=true)"; \
	  else \
	    echo "WARNING: chromium or gettext is missing and cannot be installed here; those tests will be skipped"; \
	  fi; \
	fi

lint: python-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@# Known vulnerabilities in the pinned dependencies (pip-audit): found ones fail, in CI
	@# and locally; an unreachable advisory service only warns (see scripts/pip_audit.py).
	$(BIN)/python scripts/pip_audit.py requirements.lock

types: python-deps
	$(BIN)/mypy openkam benchmarks

# The suite runs in one process per core, up to four (pytest-xdist; each worker has its own test
# database; a file's tests stay together). PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

pytest: setup browser
	$(BIN)/openkam collectstatic --noinput -v0
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

test: lint types pytest

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

messages: python-deps
	cd openkam && ../$(BIN)/openkam makemessages -l zh_Hans --no-obsolete --ignore 'static/*' && ../$(BIN)/openkam compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules openkam/static/vendor var/static
