# Two commands for newcomers: `make run` serves the site with the 2012 agenda,
# `make test` runs every test. Both build their own virtual environment.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
AGENDA := schedule/data/kvm-forum-2012-agenda.txt
AGENDA_EVENT := kvm-forum-2012
AGENDA_ZONE := Europe/Madrid

.DEFAULT_GOAL := help
.PHONY: help run setup superuser test screenshots lint format clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

setup: export DEBUG ?= true
setup: $(VENV)/.installed-runtime ## Install, migrate and import the 2012 agenda
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_agenda $(AGENDA) --event $(AGENDA_EVENT) --timezone $(AGENDA_ZONE)

run: export DEBUG ?= true
run: setup ## Set up, then serve the site on http://127.0.0.1:8000/
	@echo "Serving on http://$(HOST)/ (admin at http://$(HOST)/admin/)"
	$(BIN)/python manage.py runserver $(HOST)

superuser: export DEBUG ?= true
superuser: $(VENV)/.installed-runtime ## Create an admin account (asks for a name and password)
	$(BIN)/python manage.py createsuperuser

test: $(VENV)/.installed-dev ## Install the test tools and run the whole suite
	$(BIN)/python -m pytest

screenshots: $(VENV)/.installed-dev ## Screenshots of the schedule at desktop and phone width, in screenshots/
	$(BIN)/python -m pytest -m screenshots tests/browser/test_screenshots.py
	@ls -1 screenshots/*.png

lint: $(VENV)/.installed-dev ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtual environment, database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
