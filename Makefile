# Sinergi: `make run` serves the Klungkung demo; `make test` runs the suite on SQLite and PostgreSQL.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://sinergi@127.0.0.1:5432/sinergi
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-sqlite test-postgres test-production messages lock clean

$(BIN)/python:
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(BIN)/sinergi migrate --no-input
	DEBUG=1 $(BIN)/sinergi demo
	@echo "Sinergi: http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@# The worker (tasks: notifications, SMS, re-planning; the periodic scheduler: case reminders) runs
	@# beside the server and is stopped when the server stops.
	DEBUG=1 $(BIN)/sinergi worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=1 $(BIN)/sinergi runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check sinergi tests scripts bench
	scripts/ensure-chromium
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "== Test suite on PostgreSQL =="
	scripts/ensure-postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

# The production path alone (collectstatic, gunicorn with DEBUG off, every demo account's pages, the
# query-count baseline): tests/production, also part of the two runs above.
test-production: install
	env -u DATABASE_URL $(BIN)/pytest -m production $(PYTEST_ARGS)

# Re-extract and compile the translation catalogues (needs GNU gettext).
messages: install
	cd sinergi && DEBUG=1 ../$(BIN)/sinergi makemessages --locale en --no-obsolete --ignore "static/vendor/*"
	$(BIN)/python scripts/fill_translations.py
	cd sinergi && DEBUG=1 ../$(BIN)/sinergi compilemessages

# Refresh constraints.txt (the whole resolved dependency set) after changing pyproject.toml.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m pip freeze --exclude-editable | sort > constraints.txt

clean:
	rm -rf $(VENV) var/sinergi.sqlite3* .pytest_cache
