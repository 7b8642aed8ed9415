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
	$(PY) -m pip install --quiet -e ".[dev,docs]"
	touch $@

# The main job: linear regression on synthetic data, then softmax regression on
# Fashion-MNIST (found on this machine or downloaded), with its curves and predictions.
demo: $(VENV)/.run-installed
	$(VENV)/bin/minitorch-lr linreg
	$(VENV)/bin/minitorch-lr softmax --plot out/softmax-curves.png --predict out/softmax-predictions.png

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .

test: $(VENV)/.dev-installed lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
