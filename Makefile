# newsroom: `make run` serves the site, `make test` runs the suite. `make` lists targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CONSTRAINTS := constraints.txt

.DEFAULT_GOAL := help
.PHONY: help install install-dev run test lint format migrate demo collectstatic lock clean backup restore bench

help: ## List the targets
	@echo "newsroom — make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the project

install-dev: $(VENV)/.installed-dev ## Install the project with test and lint tools

var:
	@mkdir -p var

run: install var ## Migrate, load the demo, ensure an admin, serve on 127.0.0.1:$PORT
	@DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput -v 0 && echo "Database: migrations applied."
	@DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo > /dev/null && echo "Demo content: loaded."
	@DEBUG=$${DEBUG:-1} $(BIN)/python manage.py ensure_admin --url http://127.0.0.1:$(PORT)/admin/
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	@DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev var ## Run the whole suite (DATABASE_URL=postgres://... for PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(BIN)/python ## Refresh constraints.txt from a fresh resolve of pyproject.toml
	rm -rf var/lockenv && $(PYTHON) -m venv var/lockenv
	var/lockenv/bin/pip install --quiet -e ".[dev]"
	var/lockenv/bin/pip freeze --exclude-editable | grep -v '^newsroom' > $(CONSTRAINTS)
	rm -rf var/lockenv

backup: install var ## Back up the database and media to var/backups/<timestamp>/
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup

restore: install ## Restore var/backups/<timestamp>/ (BACKUP=path; default: the newest)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore $(BACKUP)

bench: install ## Seed PostgreSQL (BENCH_STORIES=10000) and measure; writes bench/report.md
	@command -v wrk >/dev/null || (apt-get install -y -q wrk || (apt-get update -q && apt-get install -y -q wrk))
	$(BIN)/python -m bench

clean: ## Remove the virtualenv and local data under var/
	rm -rf $(VENV) var
