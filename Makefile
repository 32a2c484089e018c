# Opvangregie — the two commands a new user needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OPV := $(BIN)/opvangregie
# The demo password exists only in demo mode (DEMO_MODE=1); demo users cannot log in otherwise.
DEMO_PASSWORD ?= opvang-demo-2024
DEMO_ENV := DEMO_MODE=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: fuzz help setup demo serve test lint typecheck contracts migrations-check pytest \
        messages compilemessages openapi clean bench bench-placement

help:
	@echo "make demo   - install, prepare an SQLite database with the Hollands Midden data, serve"
	@echo "make setup  - the same, without serving"
	@echo "make test   - lint, types, architecture contracts, migrations check, tests"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

setup: install
	mkdir -p var
	$(DEMO_ENV) $(OPV) migrate --noinput
	$(DEMO_ENV) $(OPV) load-reference hollands-midden
	$(DEMO_ENV) $(OPV) demo-users --password "$(DEMO_PASSWORD)"
	$(DEMO_ENV) $(OPV) demo-scenario --if-missing
	$(DEMO_ENV) $(OPV) demo-governance --if-missing
	$(DEMO_ENV) $(OPV) collectstatic --noinput --verbosity 0

demo: setup
	@echo
	@echo "Opvangregie runs on http://$(HOST):$(PORT)/"
	@echo "Demo log-ins (password for all: $(DEMO_PASSWORD)):"
	@echo "  coordinator, gemeente-leiden, financien-leiden, rrt-holland-rijnland, stuurgroep, provincie, admin, privacy"
	@echo
	$(DEMO_ENV) $(OPV) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

migrations-check: install
	$(DEMO_ENV) $(OPV) makemigrations --check --dry-run

pytest: install
	$(BIN)/pytest

test: lint typecheck contracts migrations-check pytest

# The slow set: fuzz the API against its OpenAPI document (CI runs it after make test).
fuzz: install
	FUZZ=1 $(BIN)/pytest -m fuzz -p no:cacheprovider -q

messages: install
	cd src/opvangregie && ../../$(OPV) makemessages --locale nl --no-obsolete --add-location file
	$(MAKE) compilemessages

compilemessages: install
	cd src/opvangregie && ../../$(OPV) compilemessages --locale nl

openapi: install
	$(DEMO_ENV) $(OPV) spectacular --file docs/openapi.json --format openapi-json --validate

clean:
	rm -rf $(VENV) node_modules var

bench: install
	$(BIN)/python benchmarks/bench.py occupancy --db sqlite
	$(BIN)/python benchmarks/bench.py occupancy --db postgres
	$(BIN)/python benchmarks/bench.py import --db sqlite
	$(BIN)/python benchmarks/bench.py import --db postgres
	$(BIN)/python benchmarks/bench.py dashboard --db sqlite
	$(BIN)/python benchmarks/bench.py dashboard --db postgres
	$(BIN)/python benchmarks/bench.py report --db postgres

bench-placement: install
	$(BIN)/python benchmarks/placement_bench.py gap-small
	$(BIN)/python benchmarks/placement_bench.py region --time-limit 60
	$(BIN)/python benchmarks/placement_bench.py region --households 10000 --locations 3000 \
		--municipalities 342 --relative-gap 0.01 --time-limit 60
	$(BIN)/python benchmarks/placement_bench.py gap-large --types a,b,c,e --time-limit 60
	$(BIN)/python benchmarks/placement_bench.py gap-large --types d --time-limit 60
