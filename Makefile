# tuopin — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
HOST   ?= 127.0.0.1:8000
SCALE  ?= small

# A checkout run with make is a single-machine install: keep generated keys under var/.
# A production install sets TUOPIN_SECRET_KEY and TUOPIN_ID_HASH_KEY instead (docs/operations.md).
export TUOPIN_LOCAL_KEYS ?= true

.DEFAULT_GOAL := help
.PHONY: help install dev run runserver demo migrate test test-sqlite test-postgres lint format bench e2e messages clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(DEVSTAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(STAMP) ## Create .venv and install tuopin

dev: $(DEVSTAMP) ## Install with the dev extras (tests, linters)

migrate: $(STAMP) ## Apply database migrations
	$(BIN)/tuopin migrate --no-input -v 0

demo: migrate ## Load the demo data (SCALE=small|medium|large)
	$(BIN)/tuopin demo --scale $(SCALE) --admin-password tuopin-admin

run: demo ## Install, migrate, load the demo, serve http://127.0.0.1:8000 (gunicorn, worker, ledger signer)
	$(BIN)/tuopin serve $(HOST)

runserver: dev demo ## Development server with DEBUG and auto-reload (never in production)
	TUOPIN_DEBUG=1 $(BIN)/tuopin runserver $(HOST)

test: $(DEVSTAMP) ## Run the whole test suite (DATABASE_URL selects the database; SQLite if unset)
	$(BIN)/pytest

test-postgres: $(DEVSTAMP) ## Run the suite on the local PostgreSQL
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tuopin} $(BIN)/pytest

lint: $(DEVSTAMP) ## ruff, mypy, import-linter, makemigrations --check
	$(BIN)/ruff format --check src bench
	$(BIN)/ruff check src bench
	$(BIN)/mypy src
	$(BIN)/lint-imports
	$(BIN)/tuopin makemigrations --check --dry-run

format: $(DEVSTAMP) ## Format and autofix
	$(BIN)/ruff format src bench
	$(BIN)/ruff check --fix src bench

e2e: $(DEVSTAMP) ## Browser tests: Playwright driving /usr/bin/chromium (apt-get install chromium)
	$(BIN)/pytest -m e2e

bench: export TUOPIN_MANIFEST_STATIC = false
bench: $(DEVSTAMP) ## Run the benchmarks in bench/ (see bench/README.md)
	$(BIN)/python bench/registry_import.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/insurance_enroll.py
	$(BIN)/python bench/village_view.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/childcare_siting.py
	$(BIN)/python bench/selection.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/recognition.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/forest.py
	$(BIN)/python bench/commerce.py
	$(BIN)/python bench/farming.py

	$(BIN)/python bench/registry_upkeep.py

messages: $(DEVSTAMP) ## Update and compile the English translations
	cd src/tuopin && ../../$(BIN)/tuopin makemessages -l en --ignore 'tests/*' && ../../$(BIN)/tuopin compilemessages

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
