# Iskra: `make run` serves the demo site, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export PORT HOST

# Python 3.12+ under any of its usual names (a pyenv-managed one too).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)

.PHONY: bench-cluster run test lint messages bench clean

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Iskra needs Python 3.12 or newer (python3.13 or python3.12); none was found on PATH." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/iskra migrate --noinput
	$(BIN)/iskra collectstatic --noinput --verbosity 0
	$(BIN)/iskra demo
	$(BIN)/iskra serve

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

messages: $(VENV)/.installed-dev
	$(BIN)/iskra compile_catalogs

# Debian packages a benchmark needs, as "check:package" pairs (a check is a command or a
# file pattern): installed here when run as root (as .ci/run does for Chromium), else named.
define need_packages
	@missing=""; for pair in $(1); do check=$${pair%%:*}; package=$${pair##*:}; \
	  command -v $$check >/dev/null 2>&1 || ls $$check >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing (Debian packages) for the benchmark"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "make $@ needs$$missing; install them first (Debian: sudo apt-get install$$missing)." >&2; exit 1; \
	  fi; \
	fi
endef

# The page benchmark drives wrk against nginx and the app.
bench: $(VENV)/.installed-dev
	$(call need_packages,wrk:wrk nginx:nginx)
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

# The scale-out setup under faults (bench/cluster.py): also PostgreSQL's server and Redis,
# started privately on loopback ports, so the machine's own servers are not touched.
bench-cluster: $(VENV)/.installed-dev
	$(call need_packages,wrk:wrk nginx:nginx redis-server:redis-server /usr/lib/postgresql/*/bin/initdb:postgresql)
	$(BIN)/python bench/cluster.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
