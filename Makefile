# Cylch: two commands do all the set-up on a fresh machine — `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CYLCH_BROWSER_TESTS ?= 1
export CYLCH_HOME := $(CURDIR)
export CYLCH_BROWSER_TESTS

.PHONY: run test lint bench install gettext static migrate demo browser java clean

## Python virtual environment with the project and its development tools
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## GOV.UK Frontend and our compiled stylesheet, from the npm registry
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## GNU gettext compiles the Welsh catalogue (Debian's package, installed if missing)
gettext:
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

static: install gettext node_modules/.package-lock.json
	npm run --silent build
	$(BIN)/cylch compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(BIN)/cylch collectstatic --noinput -v 0

migrate: install
	mkdir -p var
	$(BIN)/cylch migrate --noinput -v 0

demo: migrate
	$(BIN)/cylch demo

## Serve on http://$(HOST):$(PORT) with the background worker beside the server
run: static demo
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/cylch worker & \
	echo "Cylch is serving on http://$(HOST):$(PORT)/ (Ctrl+C stops the server and the worker)"; \
	$(BIN)/gunicorn cylch.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --log-level warning

## Debian's Chromium for the browser tests (never a downloaded browser build)
browser:
	@if [ "$(CYLCH_BROWSER_TESTS)" = "1" ] && [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## A Java runtime for Spark (`cylch link --engine spark`; its test skips without one): Debian's, if missing
java:
	@command -v java >/dev/null || { echo "Installing Debian's Java runtime for Spark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

lint: install
	mkdir -p var
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports
	$(BIN)/cylch makemigrations --check --dry-run -v 0

test: static browser java lint
	$(BIN)/pytest

bench: static
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run_all.py $(BENCH)

clean:
	rm -rf $(VENV) node_modules staticfiles src/cylch/core/static/govuk src/cylch/core/static/cylch.css
