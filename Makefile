# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint assets benchmark clean

# --- Set-up (shared) -------------------------------------------------------------------

$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/.built: node_modules/.installed scripts/build-assets.mjs $(wildcard static/src/*.scss)
	npm run --silent build
	touch $@

setup: $(VENV)/.installed static/build/.built

assets: static/build/.built

# --- make run: the portal on an embedded database and broker ----------------------------

run: export DEBUG ?= true
# Links in e-mails lead to the address the portal is served on, unless set otherwise.
run: export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo --national
	@echo ""
	@echo "LAA Portal: http://$(HOST):$(PORT)/  (Ctrl-C stops the web server, worker and beat)"
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start

# --- make test: the whole suite on PostgreSQL, Redis, Celery and Chromium, then again on
# `make run`'s embedded SQLite database and filesystem broker -----------------------------

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DEBUG=true $(PY) -m mypy
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/lint-imports

# Each stack's tests are spread over a worker per processor (pytest-xdist), each worker
# with services of its own; `make test TEST_WORKERS=0` runs them in this one process.
TEST_WORKERS ?= auto

test: setup lint
	LAA_TEST_STACK=postgres $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)
	LAA_TEST_STACK=embedded $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Figures of a national round on a throwaway database, asserting nothing; options are
# environment variables (README, "Benchmark"), e.g. `BENCH_SCALES=1 make benchmark`.
benchmark: setup
	$(PY) -m tests.benchmarks

clean:
	rm -rf $(VENV) node_modules static/build var
