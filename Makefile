# Two commands for newcomers: `make run` serves the site with the 2012 agenda,
# `make test` runs every test. Both build their own virtual environment.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# pytest's options for `make test`: one worker per core (pytest-xdist).
PYTEST_ARGS ?= -n auto
AGENDA := schedule/data/kvm-forum-2012-agenda.txt
AGENDA_EVENT := kvm-forum-2012
AGENDA_ZONE := Europe/Madrid

.DEFAULT_GOAL := help
.PHONY: help run setup superuser test screenshots lint format clean bench bench-sizes loadtest serve messages

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
	$(BIN)/python manage.py compile_catalogs
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
	DEBUG=true $(BIN)/python manage.py compile_catalogs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

screenshots: $(VENV)/.installed-dev ## Screenshots of the schedule at desktop and phone width, in screenshots/
	$(BIN)/python -m pytest -m screenshots tests/browser/test_screenshots.py
	@ls -1 screenshots/*.png

lint: $(VENV)/.installed-dev ## ruff check, ruff format --check, the layers' import contracts, the API schema
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=true $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

messages: $(VENV)/.installed-dev ## Gather the marked strings into locale/*/django.po (needs GNU gettext)
	DEBUG=true $(BIN)/python manage.py makemessages --no-obsolete -l es -l de -l fr \
		-i ".venv/*" -i "tests/*" -i "bench/*" -i "staticfiles/*" -i "media/*"

format: $(VENV)/.installed-dev ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The flood makes its own 900-talk event: after bench-sizes the database holds the largest size.
bench: $(VENV)/.installed-runtime ## Load-test the pages of a 900-talk event under gunicorn (table in bench/results/latest.md)
	@if ! command -v wrk >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing wrk..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || true; \
	fi
	@command -v wrk >/dev/null 2>&1 || echo "wrk is not installed: using the built-in Python load generator."
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/query_flood.py --connections 64 --many-clients $(FLOOD_ARGS)

bench-sizes: override BENCH_ARGS := --sizes 33,900,9100 $(BENCH_ARGS)
bench-sizes: bench ## The benchmark at 33, 900 and 9,100 talks, side by side (bench/results/latest.md)

loadtest: $(VENV)/.installed-runtime ## Load a 900-talk event on PostgreSQL (DATABASE_URL) and restart the database mid-run
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

serve: $(VENV)/.installed-runtime ## Collect static files and serve with gunicorn, DEBUG off (needs SECRET_KEY, ALLOWED_HOSTS)
	$(BIN)/python manage.py collectstatic --no-input -v 0
	$(BIN)/python -m gunicorn -c deploy/gunicorn.conf.py conference.wsgi:application

clean: ## Remove the virtual environment, database and collected files
	rm -rf $(VENV) db.sqlite3 .cache staticfiles .pytest_cache .ruff_cache

.PHONY: backup restore

backup: export DEBUG ?= true
backup: $(VENV)/.installed-runtime ## Back up an event and its photos: make backup EVENT=slug [OUTPUT=file.zip]
	@test -n "$(EVENT)" || { echo "Usage: make backup EVENT=slug [OUTPUT=file.zip]" >&2; exit 2; }
	$(BIN)/python manage.py backup_event --event "$(EVENT)" $(if $(OUTPUT),--output "$(OUTPUT)")

restore: export DEBUG ?= true
restore: $(VENV)/.installed-runtime ## Restore a backup: make restore FILE=file.zip [RESTORE_ARGS="--replace"]
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=file.zip [RESTORE_ARGS='--as SLUG --replace --dry-run']" >&2; exit 2; }
	$(BIN)/python manage.py restore_event "$(FILE)" $(RESTORE_ARGS)
