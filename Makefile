# The two commands of the README: `make report` and `make test`.
# Each creates .venv with the pinned dependencies the first time (or when they change).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.tagkit-installed
SEASON ?= 2025Q4

.PHONY: report test demo bench clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tagkit needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $@

# Main job: the quarterly batch on the bundled demo brand; prints the path of the index page.
report: $(STAMP)
	$(BIN)/tagkit report --season $(SEASON)

# The whole test suite, notebooks included (.ci/run calls this).
test: $(STAMP)
	$(BIN)/python -m pytest

# Regenerate data/demo/ (seeded, byte-identical).
demo: $(STAMP)
	$(BIN)/tagkit demo --out data/demo

# Benchmarks (README, "Benchmark"); pyfim is installed for the comparison only.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet pyfim==6.28
	$(BIN)/python bench/bench_sales.py --lines 50000000 --repeat 3
	$(BIN)/python bench/bench_rules.py --products 100000 1000000
	$(BIN)/python bench/bench_plan.py

clean:
	rm -rf $(VENV)
