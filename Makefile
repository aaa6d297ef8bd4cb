# apart: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is the development profile, said explicitly (the WSGI entry point refuses to guess).
DEV := APART_ENV=$${APART_ENV:-development}
# Parallel test workers (pytest-xdist); "auto" = one per core.
TEST_WORKERS ?= auto

.PHONY: run test install install-dev lint format typecheck check-migrations security audit pytest test-cluster bench demo-data messages clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "apart needs Python 3.11+")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate, load the demo directory, serve on http://127.0.0.1:8000 with the
## email outbox worker beside the web server.
run: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo_data
	$(DEV) $(PY) manage.py run_dev --addr $(HOST):$(PORT)

demo-data: install
	$(DEV) $(PY) manage.py load_demo_data

## make test: linters, type checks, migrations check, then the whole suite (browser tests included
## when Debian's chromium is installed).
test: install-dev lint typecheck check-migrations security pytest

## lint also checks the import contract (pyproject.toml [tool.importlinter], docs/architecture.md).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install-dev
	$(BIN)/mypy apart config

check-migrations: install-dev
	APART_ENV=test $(PY) manage.py makemigrations --check --dry-run --noinput

## make security: bandit on the application code (configuration and justified skips in
## pyproject.toml [tool.bandit]; the secret scan of tracked files is a test: tests/hardening).
security: install-dev
	$(BIN)/bandit -c pyproject.toml -r apart config -q

## make audit: known vulnerabilities of the pinned dependencies (pip-audit). It needs PyPI's and
## OSV's vulnerability data from the network, hence not part of `make test`; --strict fails when a
## package could not be checked (see docs/security.md).
audit: install-dev
	$(BIN)/pip-audit --strict -r requirements.txt -r requirements-dev.txt

pytest: install-dev
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## make test-cluster: the multi-node tests alone (2 gunicorn nodes behind nginx, PostgreSQL on
## 127.0.0.1:5432, Redis); `make pytest` on PostgreSQL runs them too.
test-cluster: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/apart_cluster} \
	  $(PY) -m pytest tests/cluster -p no:xdist $(PYTEST_ARGS)

## make messages: refresh the English catalogue from the French source strings (GNU gettext), then
## compile it; both files are committed (tests/core/test_translations.py checks they are complete).
messages: install
	APART_ENV=test $(PY) manage.py makemessages --locale=en --no-obsolete --add-location=file \
	  --ignore='tests/*' --ignore='bench/*' --ignore='docs/*' --ignore='var/*' --ignore='staticfiles/*'
	APART_ENV=test $(PY) manage.py compilemessages --locale=en

# The benchmark's peer (bench/peer/: Django + django-allauth) in a venv of its own, from PyPI.
PEER_VENV := bench/peer/.venv
$(PEER_VENV)/.installed: bench/peer/requirements.txt
	test -x $(PEER_VENV)/bin/python || $(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/peer/requirements.txt
	touch $@

bench: install-dev $(PEER_VENV)/.installed
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) $(PEER_VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
