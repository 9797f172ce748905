# Two commands for a newcomer: `make run` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes: each has its own SQLite files and its own PostgreSQL database.
TEST_WORKERS ?= auto

.PHONY: run test install install-test browser migrate bench templates mutation clean

run: install ## create .venv, install, migrate the embedded database, serve on http://127.0.0.1:8000
	$(PY) -m service db upgrade
	$(PY) -m service serve --host $(HOST) --port $(PORT) --no-migrate

test: install-test browser ## install what the tests need and run the whole suite (SQLite and PostgreSQL)
	$(PY) -m pytest -n $(TEST_WORKERS) --durations=15

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

# The browser tests drive Debian's Chromium; install it once if the machine lacks it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

migrate: install
	$(PY) -m service db upgrade

bench: install-test ## print rendering and API timings (see scripts/benchmark.py)
	$(PY) scripts/benchmark.py

templates: install ## rebuild the petition pack's Word templates from their script
	$(PY) templates/adcvd-petition/build_templates.py

# The mutation score of the interview engine and the petition's checks under the pure tests
# (README, "Testing"). Slow: minutes on two cores; not part of `make test`.
mutation: install-test
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 || true
	$(VENV)/bin/mutmut results --all true | awk '{print $$NF}' | sort | uniq -c

clean:
	rm -rf $(VENV) var .pytest_cache test-output mutants
