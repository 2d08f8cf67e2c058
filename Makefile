# Two commands on a fresh clone:  make demo  (the main job)  and  make test.
# Everything runs from .venv; its bin/ goes first on PATH because nbgrader shells out to alembic.
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    := PATH="$(BIN):$$PATH"

.PHONY: install system test demo bench clean

install: $(STAMP)

# System packages the tests drive, from Debian, only when missing: Chromium for the browser tests (never a
# browser download) and a PostgreSQL server for the cluster test (started by the test as a non-root user).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT  := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
system:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then $(APT) update -qq && $(APT) install -y -qq $$missing; fi

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
