# Khamrap — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KHAMRAP := $(VENV)/bin/khamrap
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: Pango/HarfBuzz for WeasyPrint PDFs, chromium for the browser tests, poppler for PDF checks.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium fonts-thai-tlwg poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run dev test lint typecheck pytest bench load install system-deps setup worker clean

# `make run` is the local demo: published logins, a key of this machine's own in var/ (docs/security.md).
# Every other start is production unless KHAMRAP_ENV says otherwise.
run setup: export KHAMRAP_ENV := demo
# Benchmarks and the load script run on their own data in development mode (a key of this machine's).
bench load: export KHAMRAP_ENV := development

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

setup: install system-deps
	$(KHAMRAP) migrate --no-input -v 0
	$(KHAMRAP) load_reference
	$(KHAMRAP) seed_demo

# gunicorn (several worker processes) beside the task worker and the hourly deadline reminders (each is
# sent once, so running them often is harmless); Ctrl-C stops them all.
run: setup
	@echo "Khamrap: http://$(HOST):$(PORT)  (task worker and deadline reminders run alongside; Ctrl-C stops all)"
	@$(KHAMRAP) db_worker --no-reload --interval 1 & worker=$$!; \
	( while true; do $(KHAMRAP) notify_deadlines >/dev/null 2>&1; sleep 3600; done ) & reminders=$$!; \
	trap 'kill $$worker $$reminders 2>/dev/null; wait $$worker' EXIT; \
	$(KHAMRAP) serve --bind $(HOST):$(PORT)

# Development: Django's runserver (one process, reloads on change) beside the task worker.
dev: setup
	@echo "Khamrap (development): http://$(HOST):$(PORT)  (Ctrl-C stops the server and the worker)"
	@$(KHAMRAP) db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=$${DEBUG:-1} $(KHAMRAP) runserver $(HOST):$(PORT)

worker: install
	$(KHAMRAP) db_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy khamrap

pytest: install system-deps
	$(VENV)/bin/pytest

test: lint typecheck pytest

bench: install system-deps
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

# LOAD_OFFICERS officers autosave and open their plans for LOAD_SECONDS seconds against a fresh gunicorn.
LOAD_OFFICERS ?= 40
LOAD_SECONDS ?= 60
load: install
	$(PY) bench/load.py --officers $(LOAD_OFFICERS) --seconds $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) var
