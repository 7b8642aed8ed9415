# Two entry points for a fresh machine: `make demo` and `make test` (see README.md).
# Each creates .venv on first use and installs what it needs into it.

VENV ?= .venv
PY := $(VENV)/bin/python
# The CPU build is enough for everything here and is much smaller than the CUDA one.
# Use `make TORCH=torch ...` to take whichever torch pip picks instead.
TORCH ?= torch==2.13.0

.PHONY: demo test lint bench docs clean

$(PY):
	python3 -m venv $(VENV)

$(VENV)/.run-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.run-installed
	$(PY) -m minitorch_lr demo

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .

test: $(VENV)/.dev-installed lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
