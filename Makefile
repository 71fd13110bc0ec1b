# Support Exchange: make run | make test | make test-fast | make bench
# docs/testing.md explains the stages of `make test` and how to run one of them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Root installs Chromium directly (CI, the machine image); anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1

.PHONY: run test test-fast bench deps python-deps front-end chromium

## make run: a development server on http://127.0.0.1:8000 with demo data on the first run
run: deps
	scripts/dev_server.sh

## make test: lint, checks, SQLite tests, then everything again on PostgreSQL with the browser tests
## (make test STAGES=lint,checks runs only those stages)
test: deps chromium
	$(BIN)/python scripts/test_all.py $(if $(STAGES),--stages $(STAGES))

## make test-fast: the unit tests on SQLite only, even when DATABASE_URL names another database
test-fast: deps
	env -u DATABASE_URL $(BIN)/pytest -n 2

## make bench: timings written to docs/benchmarks.md (PostgreSQL from DATABASE_URL, else a throwaway cluster)
bench: deps
	$(BIN)/python benchmarks/run.py

deps: python-deps front-end

python-deps: $(VENV)/.installed

front-end: node_modules/.installed
	npm run build

# Re-installed only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Re-installed only when package-lock.json changes.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests: Playwright never downloads a browser of its own here.
chromium:
	@test -x /usr/bin/chromium || { \
		$(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium; }
