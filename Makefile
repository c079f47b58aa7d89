# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run demo bench test test-postgres test-concurrency check lint translations translate-update db clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --quiet --upgrade pip
	$(PY) -m pip install --quiet --quiet -r requirements.txt
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	@$(VENV)/bin/pybabel --quiet compile -d translations -l $*

translations: $(MO_FILES)

instance/secret_key:
	@mkdir -p instance
	@$(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@
	@chmod 600 $@

db: $(STAMP) translations instance/secret_key
	$(FLASK) db upgrade

run: db
	SESSION_COOKIE_SECURE=0 $(FLASK) run --host $(HOST) --port $(PORT)

# A realistic demo company (safe to run twice); DEMO_PASSWORD=… to choose the password.
demo: db
	$(FLASK) demo $(if $(DEMO_PASSWORD),--password "$(DEMO_PASSWORD)") $(DEMO_ARGS)

test: $(STAMP) translations
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL (each test starts from an empty schema in that database).
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
test-postgres: $(STAMP) translations
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest $(PYTEST_ARGS)

# The races alone: a real gunicorn with four workers, on SQLite (and PostgreSQL
# when TEST_DATABASE_URL is set). They are part of `make test` too.
test-concurrency: $(STAMP) translations
	$(PY) -m pytest -m concurrency $(PYTEST_ARGS)

# Manager pages at scale (500 learners, 50,000 attempts) against a lesson page; see docs/performance.md.
bench: $(STAMP) translations
	$(PY) bench/manager_pages.py

check: $(STAMP)
	$(FLASK) content check

lint: $(STAMP)
	$(VENV)/bin/ruff check academy tests

translate-update: $(STAMP)
	$(FLASK) translate update

clean:
	rm -rf $(VENV) translations/*/LC_MESSAGES/*.mo .pytest_cache
