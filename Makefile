# Fengqiao: `make run` starts the demo on SQLite; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Find a Python >= 3.12 (pyenv's python3.12 answers where .python-version selects it).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; \
	then echo $$p; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export FENGQIAO_DEBUG ?= 1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup run demo test test-fast lint format bench browser-deps messages worker clean

help:
	@echo "make run    - set up and start Fengqiao with a demo county on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the whole test suite (DATABASE_URL selects PostgreSQL)"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - benchmarks (see bench/README.md)"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Fengqiao needs Python 3.12 or newer. Install it (e.g. 'pyenv install 3.12' or"; \
		echo "'apt-get install python3.12 python3.12-venv') and run make again."; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# Compile the translation catalogues (needs GNU gettext's msgfmt).
messages: setup
	@if ! command -v msgfmt >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else echo "msgfmt not found: install GNU gettext to compile the English translation"; exit 1; fi; \
	fi
	@if find fengqiao -name '*.po' | grep -q .; then \
		cd fengqiao && ../$(PY) ../manage.py compilemessages -v0; fi

# The demo county: the first DEMO_FIRST cases are written before the server starts, the rest
# (up to DEMO_CASES) in the background while you look around; both steps resume if stopped.
DEMO_FIRST ?= 600
DEMO_CASES ?= 5000

demo: setup messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo --cases $(DEMO_FIRST)

run: demo
	@mkdir -p var
	@echo "Starting the task worker and the web server on http://$(HOST):$(PORT) ..."
	@echo "The demo grows to $(DEMO_CASES) cases in the background (log: var/demo.log)."
	@# The worker is restarted if it dies; if it keeps dying, everything stops with a message.
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py load_demo --cases $(DEMO_CASES) > var/demo.log 2>&1 & \
	{ $(PY) manage.py run_worker --supervise || kill 0; } & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's chromium and CJK fonts; install them when we can.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing chromium and fonts-noto-cjk for the browser tests ..."; \
			apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else echo "chromium not found: browser tests will be skipped (apt-get install chromium fonts-noto-cjk)"; fi; \
	fi

# The apps whose types mypy checks (the bottom of the stack).
TYPED := fengqiao/core fengqiao/cases fengqiao/intake

test: setup messages browser-deps
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run -v1
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy $(TYPED)
	$(VENV)/bin/pytest -n 2 --dist loadgroup -p no:cacheprovider

test-fast: setup
	$(VENV)/bin/pytest -x -q -m "not browser"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy $(TYPED)

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) -m bench

worker: setup
	$(PY) manage.py run_worker --supervise

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
