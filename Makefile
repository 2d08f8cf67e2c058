# Two commands on a fresh clone:  make demo  (the main job)  and  make test.
# Everything runs from .venv; its bin/ goes first on PATH because nbgrader shells out to alembic.
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    := PATH="$(BIN):$$PATH"

.PHONY: install sandbox system test demo bench clean hub hub-install

install: $(STAMP)

# System packages the tests drive, from Debian, only when missing: Chromium for the browser tests (never a
# browser download), a PostgreSQL server for the cluster test (started by the test as a non-root user), and
# Node with npm for JupyterHub's proxy (configurable-http-proxy, from npm into $(HUB_DIR)/node, never global).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT  := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
system: sandbox
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then $(APT) update -qq && $(APT) install -y -qq $$missing; fi

# Student code runs in bubblewrap (docs/integrity.md): grading refuses to start without it, so the demo needs it too.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq bubblewrap; }

# The course on a JupyterHub on this machine (README, "Trying the course on a JupyterHub"). The hub's venv is made
# from Debian's /usr/bin/python3, in HUB_DIR outside the clone, because the students' Unix users run it
# (a python under /root is not readable by them); the project is installed into it, not linked.
HUB_DIR    ?= /srv/backprop-hub
HUB_PYTHON ?= /usr/bin/python3
HUB_VENV   := $(HUB_DIR)/venv
HUB_STAMP  := $(HUB_VENV)/.installed
# Both live outside the clone, so a fresh clone (CI) reuses them: the venv is refreshed when the project changes.
CHP        := $(HUB_DIR)/node/bin/configurable-http-proxy
HUB_ENV    := BACKPROP_HUB_DIR="$(HUB_DIR)" BACKPROP_HUB_PROXY="$(CHP)"
PROJECT_SOURCES := $(shell find autograders solutions -name '*.py' 2>/dev/null) nbgrader_config.py

hub-install: $(HUB_STAMP) $(CHP)

$(HUB_STAMP): setup.cfg pyproject.toml $(PROJECT_SOURCES)
	mkdir -p $(HUB_DIR) && chmod 755 $(HUB_DIR)
	[ -x $(HUB_VENV)/bin/python ] || { $(HUB_PYTHON) -m venv $(HUB_VENV) && \
		$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip; }
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade ".[hub]"
	chmod -R a+rX $(HUB_VENV)
	touch $(HUB_STAMP)

# Node and npm from Debian, only when missing (the proxy needs them; nothing else of `system`).
$(CHP):
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
		{ $(APT) update -qq && $(APT) install -y -qq nodejs npm; }
	mkdir -p $(HUB_DIR) && chmod 755 $(HUB_DIR)
	npm install --silent --no-audit --no-fund --prefix $(HUB_DIR)/node -g configurable-http-proxy@^5

hub: $(STAMP) hub-install sandbox
	$(RUN) $(HUB_ENV) $(BIN)/python -m autograders.instructor.hub

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The hub test (tests/test_hub.py) creates Unix users, so it needs root; as another user it skips and the
# hub's venv is not made.
HUB_PREREQ := $(if $(filter 0,$(shell id -u)),hub-install)

# First the course check of the three instructor notebooks (docs/authoring.md, "Editing a notebook"), then the suite.
test: $(STAMP) system $(HUB_PREREQ)
	$(RUN) $(BIN)/backprop-grader check-course all
	$(RUN) $(HUB_ENV) $(BIN)/python -m pytest

demo: $(STAMP) sandbox
	$(RUN) $(BIN)/backprop-grader demo --dir demo-course --force

bench: $(STAMP)
	$(RUN) $(BIN)/python bench/diagnosis.py

clean:
	rm -rf $(VENV) demo-course .pytest_cache
