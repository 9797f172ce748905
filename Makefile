# Two commands for a newcomer: `make run` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The PDF converter (unoserver) runs under Debian's Python, the one LibreOffice's `uno` imports in.
UNO_VENV := .venv-uno
HOST ?= 127.0.0.1
PORT ?= 8000
# Server processes; 0: one per core.
WORKERS ?= 0

.PHONY: run test install install-test browser wrk assets libreoffice migrate bench templates mutation clean
HTMX := service/web/static/vendor/htmx.min.js
SWAGGER_UI := service/web/static/vendor/swagger-ui/swagger-ui-bundle.js
# Test processes: each has its own SQLite files and its own PostgreSQL database.
TEST_WORKERS ?= auto
# The suite runs with bytecode caching on even where PYTHONDONTWRITEBYTECODE is set (as it was in
# the shells of issue 14's sessions): without it every test process compiles again the ~550
# modules pytest rewrites for its assertions (schemathesis, hypothesis and the tests: ~8 s of CPU
# each, three processes; about 8 s of the run's start, before any test). Measured starting a
# whole collection on 2 processes: 33.6 s of CPU without caches, 23.8 s on the run that writes
# them (a fresh clone), 14.7 s after. Caches go to __pycache__ (ignored by git) and into .venv.

run: install assets ## create .venv, install, migrate the embedded database, serve on http://127.0.0.1:8000
	$(PY) -m service db upgrade
	$(PY) -m service serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --no-migrate

test: install-test browser wrk assets ## install what the tests need, lint, and run the whole suite (SQLite and PostgreSQL)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n $(TEST_WORKERS) --durations=15

install: $(VENV)/.installed $(UNO_VENV)/.installed
install-test: $(VENV)/.installed-test $(UNO_VENV)/.installed

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

$(UNO_VENV)/.installed: | libreoffice
	/usr/bin/python3 -m venv --system-site-packages $(UNO_VENV)
	$(UNO_VENV)/bin/pip install --quiet "unoserver>=3.1,<4"
	touch $@

# PDFs are made by Debian's LibreOffice Writer, with fonts that have Times New Roman's metrics.
libreoffice:
	@{ /usr/bin/python3 -c "import uno" && command -v soffice && /usr/bin/python3 -m venv --help \
	   && fc-list | grep -q "Liberation Serif"; } >/dev/null 2>&1 || { \
	  echo "Installing Debian's LibreOffice Writer, python3-uno and fonts-liberation for the PDFs"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    libreoffice-writer-nogui python3-uno python3-venv fonts-liberation2 >/dev/null; }

# The browser tests drive Debian's Chromium; install it once if the machine lacks it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The benchmark's load client (and its test) is Debian's wrk; install it once if missing.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the benchmark"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

# JavaScript from the npm registry (package-lock.json): htmx, which the pages serve themselves
# (never a CDN), and axe-core for the browser tests. Debian's npm is installed if missing.
assets: $(HTMX) $(SWAGGER_UI)

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for the web pages' JavaScript"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(HTMX): node_modules/.installed
	mkdir -p $(@D)
	cp node_modules/htmx.org/dist/htmx.min.js $@

# The API's viewer at /schema/swagger (npm's swagger-ui-dist), served by the app itself.
$(SWAGGER_UI): node_modules/.installed
	mkdir -p $(@D)
	cp node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui-standalone-preset.js,swagger-ui.css} $(@D)/

migrate: install
	$(PY) -m service db upgrade

bench: install-test wrk ## print one table: rendering, HTTP against bare Litestar, listing, memory (scripts/benchmark.py)
	$(PY) scripts/benchmark.py
	$(PY) scripts/benchmark_pdf.py

# The committed .docx templates are the source (edited in Word); the scripts only write
# templates that are missing, never over an existing one. Then every pack is checked.
templates: install ## write missing petition templates from their one-off script, check the packs
	$(PY) templates/adcvd-petition/build_templates.py
	$(PY) -m service packs check

# The mutation score of the interview engine and the petition's checks under the pure tests
# (README, "Testing"). Slow: minutes on two cores; not part of `make test`.
mutation: install-test
	rm -rf mutants
	ln -sfn templates/adcvd-petition/adcvd_petition adcvd_petition; \
	trap 'rm -f adcvd_petition' EXIT; \
	time $(VENV)/bin/mutmut run --max-children 2; \
	$(VENV)/bin/mutmut results --all true | awk -F': ' '{print $$NF}' | sort | uniq -c

clean:
	rm -rf $(VENV) $(UNO_VENV) var .pytest_cache test-output node_modules $(HTMX) mutants
