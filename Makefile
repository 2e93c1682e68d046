# Two commands for a newcomer: `make run` (app with demo data on SQLite) and `make test` (whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PROVINCE ?= 48

.PHONY: check-long run test bench bench-indicators install install-dev migrate demo browser lock messages clean

$(PY):
	@py=$$(sh scripts/find-python.sh) || exit 1; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(VENV)/.installed: $(PY) requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_admin_units

demo: migrate
	$(MANAGE) seed_demo --province $(DEMO_PROVINCE)

run: demo
	-$(MANAGE) run_daily  # the day's jobs; one that fails is said, and the server starts all the same
	@mkdir -p var; $(MANAGE) collectstatic --no-input --verbosity 0
	@echo "Starting the task worker and the server on http://$(HOST):$(PORT)/"
	@$(MANAGE) worker --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when we can, otherwise say how.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "Chromium is needed for the browser tests: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

test: install-dev browser
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

# The long quality gates (tests/quality/): the importer fuzzing at its full budget (FUZZ_EXAMPLES files per kind and
# strategy: 700 × 3 strategies × 5 kinds > 10,000 files; FUZZ_BACKGROUND_EXAMPLES through the whole background
# import), schemathesis against the served OpenAPI schema for each member of the cast (SCHEMATHESIS_EXAMPLES cases per
# operation and member), then the load scenario (tests/quality/load.py: LOAD_USERS users for LOAD_TIME against a
# server with the demo data, on SQLite with the development server, then on a throw-away PostgreSQL with gunicorn;
# locust in its own environment, var/locust-venv, from requirements-load.txt, since its pytest plugin breaks ours).
# Each prints its figures; every gate runs even when an earlier one fails, and the target fails if any did. `make
# test` runs the same fuzz tests at a small budget.
FUZZ_EXAMPLES ?= 700
FUZZ_BACKGROUND_EXAMPLES ?= 20
SCHEMATHESIS_EXAMPLES ?= 20
LOAD_USERS ?= 50
LOAD_TIME ?= 60s
LOCUST_VENV := var/locust-venv

$(LOCUST_VENV)/.installed: requirements-load.txt
	@py=$$(sh scripts/find-python.sh) || exit 1; \
	echo "Creating $(LOCUST_VENV) with $$py"; \
	"$$py" -m venv $(LOCUST_VENV)
	$(LOCUST_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-load.txt
	@touch $@

check-long: install-dev $(LOCUST_VENV)/.installed
	@status=0; \
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_BACKGROUND_EXAMPLES=$(FUZZ_BACKGROUND_EXAMPLES) \
	  SCHEMATHESIS_EXAMPLES=$(SCHEMATHESIS_EXAMPLES) \
	  $(PY) -m pytest -p no:cacheprovider -q tests/quality/test_fuzz_imports.py tests/quality/test_fuzz_attachments.py \
	  tests/quality/test_schema_responses.py tests/quality/test_schema_fuzz.py || status=1; \
	LOAD_USERS=$(LOAD_USERS) LOAD_TIME=$(LOAD_TIME) LOCUST=$(LOCUST_VENV)/bin/locust $(PY) tests/quality/load.py || status=1; \
	LOAD_USERS=$(LOAD_USERS) LOAD_TIME=$(LOAD_TIME) LOCUST=$(LOCUST_VENV)/bin/locust \
	  scripts/with-postgres.sh $(PY) tests/quality/load.py || status=1; \
	exit $$status

# The import benchmark (bench/import_students.py) on SQLite, then on a throw-away PostgreSQL; ROWS=20000 for a
# quicker run.
ROWS ?= 200000
bench: install
	$(PY) bench/import_students.py --rows $(ROWS)
	scripts/with-postgres.sh $(PY) bench/import_students.py --rows $(ROWS)

# The indicator engine's benchmark (bench/indicators.py): a province of 2,000,000 students on SQLite, then on a
# throw-away PostgreSQL; INDICATOR_ROWS=20000 for a quicker run. DuckDB (requirements-bench.txt) computes the reference figures.
INDICATOR_ROWS ?= 2000000
bench-indicators: install
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(PY) bench/indicators.py --rows $(INDICATOR_ROWS)
	scripts/with-postgres.sh $(PY) bench/indicators.py --rows $(INDICATOR_ROWS)

lock: $(PY)
	rm -rf /tmp/dentruong-lock && "$$(sh scripts/find-python.sh)" -m venv /tmp/dentruong-lock
	/tmp/dentruong-lock/bin/pip install --quiet . && /tmp/dentruong-lock/bin/pip freeze --exclude dentruong

# The English catalogues: one per app, from that app's own files (makemessages run inside an app writes to its
# locale/), and the project's (locale/), from templates/ and dentruong/; then all compiled.
messages: install
	@set -e; for app in apps/*/apps.py; do \
	  app=$$(dirname $$app); echo "$$app"; mkdir -p $$app/locale; \
	  (cd $$app && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete --ignore 'tests/*'); \
	done
	$(MANAGE) makemessages -l en --no-obsolete --ignore 'apps/*' --ignore 'tests/*' --ignore 'var/*' \
	  --ignore 'staticfiles/*' --ignore 'bench/*'
	$(MANAGE) compilemessages -l en --ignore '.venv'

clean:
	rm -rf $(VENV) var staticfiles
