# MEMS — the two commands: `make run` (set up and start, embedded) and `make test` (everything).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# This machine's pip configuration names optional local indexes; their absence is not news.
QUIET_PIP := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NODE := frontend/node_modules/.installed
SPA := frontend/dist/index.html
SPA_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json -type f 2>/dev/null)

# Local services the tests use; override from the environment.
TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
export TEST_DATABASE_URL TEST_REDIS_URL

.PHONY: help run worker migrate seed openapi build install lint test test-backend test-backend-sqlite \
        test-backend-postgres test-worker test-frontend test-e2e bench lock clean services chromium

help:
	@echo "make run      set up everything and start MEMS at http://127.0.0.1:$${PORT:-8000}/ (demo data)"
	@echo "make test     set up everything and run every test suite, linters and type checks"
	@echo "make worker   run the arq worker (needs DATABASE_URL and REDIS_URL)"
	@echo "make openapi  regenerate openapi.yaml and the SPA's typed client"
	@echo "make bench    run the benchmarks (see bench/README.md)"

# ---- set-up ---------------------------------------------------------------------------------
$(STAMP_PY): requirements-dev.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock $(QUIET_PIP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e . $(QUIET_PIP)
	touch $@

$(STAMP_NODE): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20+ and npm are required (npm not found)"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(SPA): $(STAMP_NODE) $(SPA_SOURCES)
	cd frontend && npm run build

install: $(STAMP_PY) $(STAMP_NODE)

build: $(SPA)

# ---- running --------------------------------------------------------------------------------
run: $(STAMP_PY) $(SPA)
	$(PY) -m mems serve

worker: $(STAMP_PY)
	$(PY) -m mems worker

migrate: $(STAMP_PY)
	$(PY) -m mems migrate

seed: $(STAMP_PY)
	$(PY) -m mems seed

openapi: $(STAMP_PY) $(STAMP_NODE)
	$(PY) -m mems openapi
	cd frontend && npm run gen:api

lock: $(STAMP_PY)
	$(PY) -m pip install --quiet uv $(QUIET_PIP)
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --no-header -q -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header -q -o requirements-dev.lock

# ---- checks ---------------------------------------------------------------------------------
lint: $(STAMP_PY) $(STAMP_NODE)
	$(VENV)/bin/ruff check backend tests bench
	$(VENV)/bin/ruff format --check backend tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m mems openapi --check
	cd frontend && npm run check:api && npm run typecheck && npm run lint

services:
	@bash scripts/ensure-services.sh

chromium:
	@bash scripts/ensure-chromium.sh

test-backend-sqlite: $(STAMP_PY)
	$(VENV)/bin/pytest -q -p no:cacheprovider --db=sqlite -m "not worker"

test-backend-postgres: $(STAMP_PY) services
	$(VENV)/bin/pytest -q -p no:cacheprovider --db=postgres

test-backend: test-backend-sqlite test-backend-postgres

test-worker: $(STAMP_PY) services
	$(VENV)/bin/pytest -q -p no:cacheprovider --db=postgres -m worker

test-frontend: $(STAMP_NODE)
	cd frontend && npm test

test-e2e: $(STAMP_PY) $(SPA) chromium
	cd frontend && npm run e2e

# Every suite runs even when an earlier one fails; the exit status reports any failure.
test: $(STAMP_PY) $(STAMP_NODE)
	@failed=(); \
	for target in lint test-backend-sqlite test-backend-postgres test-frontend test-e2e; do \
	  echo "==> make $$target"; \
	  $(MAKE) --no-print-directory $$target || failed+=("$$target"); \
	done; \
	if [ $${#failed[@]} -gt 0 ]; then echo "FAILED: $${failed[*]}"; exit 1; fi; \
	echo "All test suites passed."

bench: $(STAMP_PY) services
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var/mems.db*
