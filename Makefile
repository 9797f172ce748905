# Two commands for a newcomer: `make run` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The PDF converter (unoserver) runs under Debian's Python, the one LibreOffice's `uno` imports in.
UNO_VENV := .venv-uno
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test browser libreoffice migrate bench templates clean

run: install ## create .venv, install, migrate the embedded database, serve on http://127.0.0.1:8000
	$(PY) -m service db upgrade
	$(PY) -m service serve --host $(HOST) --port $(PORT) --no-migrate

test: install-test browser ## install what the tests need and run the whole suite (SQLite and PostgreSQL)
	$(PY) -m pytest

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

migrate: install
	$(PY) -m service db upgrade

bench: install-test ## print rendering and API timings (see scripts/benchmark.py)
	$(PY) scripts/benchmark.py
	$(PY) scripts/benchmark_pdf.py

templates: install ## rebuild the petition pack's Word templates from their script
	$(PY) templates/adcvd-petition/build_templates.py

clean:
	rm -rf $(VENV) $(UNO_VENV) var .pytest_cache test-output
