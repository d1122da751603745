# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_CONCURRENCY ?= 2
GUNICORN_TIMEOUT ?= 30

.PHONY: run setup test test-postgres lint format clean

# Re-install only when requirements.txt changes.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_articles fixtures/
	$(PY) manage.py collectstatic --noinput --verbosity 0

# The web workers only queue index changes; the one search_indexer beside them writes the index. Ctrl-C or a
# TERM to make stops both: the trap forwards the signal, and the indexer also stops when gunicorn exits.
run: setup
	$(PY) manage.py rebuild_index --if-needed
	$(PY) manage.py search_indexer & indexer=$$!; \
	$(VENV)/bin/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--timeout $(GUNICORN_TIMEOUT) --access-logfile - --error-logfile - & web=$$!; \
	trap 'kill -TERM $$web $$indexer 2>/dev/null' INT TERM HUP; \
	wait $$web; status=$$?; \
	kill -TERM $$web $$indexer 2>/dev/null; wait $$web; wait $$indexer; \
	exit $$status

test: $(VENV)/.installed
	$(PY) -m pytest

# The same suite on PostgreSQL (.ci/run starts a server and creates this role, allowed to CREATEDB: pytest
# creates and drops its own test_archive database, so the archive database itself is never touched).
POSTGRES_URL ?= postgres://archive:archive@127.0.0.1:5432/archive
test-postgres: $(VENV)/.installed
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var/staticfiles .pytest_cache .ruff_cache
