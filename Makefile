# Two entry points (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip

.PHONY: venv demo camsim-demo study-train test test-kernels bench docs docs-notebooks clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first, pinned, so that the resolver never looks for a CUDA build.
	$(PIP) install --quiet "torch==2.13.0"
	$(PIP) install --quiet -e ".[test]"
	touch $@

venv: $(VENV)/.installed

# The main job: the SR study's evaluation + analysis with the shipped weights on the
# embedded photos (four tasks) → out/study/report.md and its figures.
demo: venv
	$(PY) -m srgan study --out out/study

# Retrain the four models on a CPU budget (compact network, ~15-20 min on 2 cores), then evaluate.
study-train: venv
	$(PY) -m srgan study --train --out out/study-train

# camsim alone: the study's three cameras on the embedded images → out/demo/side_by_side.png
camsim-demo: venv
	$(PY) -m camsim.demo --out out/demo

test: venv $(VENV)/.docs-installed
	$(PY) -m ruff check camsim srgan tests benchmarks scripts
	$(MAKE) --no-print-directory test-kernels
	$(PY) -m pytest -q

# The numba kernels' bodies run as Python so that coverage and tracebacks see them.
test-kernels: venv
	NUMBA_DISABLE_JIT=1 $(PY) -m pytest -q -o addopts="" tests/camsim/test_kernels_*.py

bench: venv
	$(PY) -m benchmarks

$(VENV)/.docs-installed: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[docs]"
	touch $@

# The documentation site → docs/_build/html (warnings are errors, then a check of every internal link).
# The notebooks are executed (full size, ~1 min in all) into docs/examples/ only when changed; Sphinx
# renders those stored outputs and never executes anything.
NOTEBOOKS := $(wildcard examples/*.ipynb)
EXECUTED  := $(patsubst examples/%,docs/examples/%,$(NOTEBOOKS))

docs/examples/%.ipynb: examples/%.ipynb | $(VENV)/.docs-installed
	$(PY) scripts/execute_notebooks.py examples docs/examples $*

docs-notebooks: $(EXECUTED)

docs: $(VENV)/.docs-installed $(EXECUTED)
	$(PY) -m sphinx -W --keep-going -q -E -b html docs docs/_build/html
	$(PY) scripts/check_links.py docs/_build/html

clean:
	rm -rf $(VENV) out .pytest_cache docs/_build docs/examples docs/jupyter_execute
