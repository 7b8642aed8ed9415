# Two entry points for a fresh machine: `make demo` and `make test` (see README.md).
# Each creates .venv on first use and installs what it needs into it.

VENV ?= .venv
PY := $(VENV)/bin/python
# The CPU build is enough for everything here and is much smaller than the CUDA one.
# Use `make TORCH=torch ...` to take whichever torch pip picks instead.
TORCH ?= torch==2.13.0
# --strict turns every warning into an error (a broken link, a page missing from the nav).
# NO_MKDOCS_2_WARNING silences a notice that mkdocs-material prints about MkDocs 2.0.
MKDOCS_BUILD = NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --site-dir site

.PHONY: demo test lint bench bench-smoke docs notebooks figures mathjax clean

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

# pytest runs every Python block of docs/*.md too (pyproject: --markdown-docs); the site
# build then fails on a broken link, a missing page or a docstring it cannot render.
test: $(VENV)/.dev-installed lint
	$(PY) -m pytest
	$(MKDOCS_BUILD)

# The benchmark suite, BENCH_RUNS times, and its report (benchmarks.md, benchmarks.png).
# On a shared machine the median of several runs is the figure to trust.
BENCH_OUT ?= build/bench
BENCH_RUNS ?= 3
bench: $(VENV)/.dev-installed
	mkdir -p $(BENCH_OUT)
	for run in $$(seq $(BENCH_RUNS)); do \
	    $(PY) -m pytest benchmarks --benchmark-min-rounds=10 \
	        --benchmark-json=$(BENCH_OUT)/run-$$run.json || exit 1; \
	done
	$(PY) -m minitorch_lr bench-report $(BENCH_OUT)/run-*.json --out $(BENCH_OUT)

# For CI: proves that the suite and the report still run. Its figures mean nothing.
bench-smoke: $(VENV)/.dev-installed
	mkdir -p build/bench-smoke
	$(PY) -m pytest benchmarks --bench-smoke --benchmark-json=build/bench-smoke/results.json
	$(PY) -m minitorch_lr bench-report build/bench-smoke/results.json --out build/bench-smoke

# The documentation site, into site/.
docs: $(VENV)/.dev-installed
	$(MKDOCS_BUILD)

# Every tutorial page as a Jupyter notebook, into notebooks/ (made from the pages, not kept).
notebooks: $(VENV)/.dev-installed
	$(PY) docs/make_notebooks.py --out notebooks

# Redraw the figures of the docs with the project's own code: docs/figures/ (training on
# Fashion-MNIST, found or downloaded; about ten seconds on a 2-core CPU), then the
# benchmark report and its plot from the stored results in docs/results/.
figures: $(VENV)/.dev-installed
	$(PY) docs/make_figures.py
	$(VENV)/bin/minitorch-lr bench-report docs/results/*.json --out docs

# MathJax ships with the site, in docs/javascripts/mathjax/ (the typesetting script, its
# fonts and the TeX extensions it loads on demand, such as boldsymbol, from the npm package). Only to fetch it again, at this version: needs npm.
MATHJAX_VERSION ?= 3.2.2
mathjax:
	rm -rf build/mathjax && mkdir -p build/mathjax
	cd build/mathjax && npm pack --silent mathjax@$(MATHJAX_VERSION) && tar xzf mathjax-*.tgz
	rm -rf docs/javascripts/mathjax && mkdir -p docs/javascripts/mathjax/output/chtml/fonts
	cp build/mathjax/package/es5/tex-mml-chtml.js build/mathjax/package/LICENSE docs/javascripts/mathjax/
	cp -r build/mathjax/package/es5/output/chtml/fonts/woff-v2 docs/javascripts/mathjax/output/chtml/fonts/
	mkdir -p docs/javascripts/mathjax/input/tex
	cp -r build/mathjax/package/es5/input/tex/extensions docs/javascripts/mathjax/input/tex/

clean:
	rm -rf $(VENV) build site notebooks *.egg-info .pytest_cache .hypothesis
