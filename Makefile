# Two commands on a fresh clone:  make demo  (the main job)  and  make test.
# Everything runs from .venv; its bin/ goes first on PATH because nbgrader shells out to alembic.
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    := PATH="$(BIN):$$PATH"

.PHONY: install system test demo bench clean

install: $(STAMP)

# System packages the tests drive: Debian's Chromium for the browser tests (never a browser download).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

test: $(STAMP) system
	$(RUN) $(BIN)/python -m pytest

demo: $(STAMP)
	$(RUN) $(BIN)/backprop-grader demo --dir demo-course --force

bench: $(STAMP)
	$(RUN) $(BIN)/python bench/diagnosis.py

clean:
	rm -rf $(VENV) demo-course .pytest_cache
