# The two commands of the README: `make report` and `make test`.
# Each creates .venv with the pinned dependencies the first time (or when they change).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.tagkit-installed
SEASON ?= 2025Q4

.PHONY: report test test-fast demo docs bench clean browser java screenshot

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tagkit needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@echo "Setting up $(VENV): tagkit and its pinned dependencies (requirements.lock), about two minutes, once."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# PYTHONWARNINGS: setuptools' banner about editable installs is for its developers, not ours
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,spark]'
	@echo "$(VENV) is ready."
	@touch $@

# Main job: the quarterly batch on the bundled demo brand; prints the path of the index page.
report: $(STAMP)
	$(BIN)/tagkit report --season $(SEASON)

# The whole test suite, notebooks included (.ci/run calls this).
test: $(STAMP) browser java
	$(BIN)/python -m pytest

# A fast loop for developers: the library's tests without notebooks, Spark, the browser, real data or slow cases.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not notebooks and not spark and not browser and not real_data and not slow"

# Debian's chromium, for the test that opens the reports in a browser (tests/test_shared_reports.py).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser test of the reports"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Regenerate data/demo/ and data/sparse/ (seeded, byte-identical).
demo: $(STAMP)
	$(BIN)/tagkit demo --out data/demo
	$(BIN)/tagkit demo --profile sparse --out data/sparse

# docs/parameters.md from the notebooks' parameter cells (tests/test_reference.py checks it is current).
docs: $(STAMP)
	$(BIN)/python -c 'from tagkit.reference import write_docs; write_docs()'

# Benchmarks (docs/benchmarks.md); pyfim and numba are installed for the comparisons only.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet pyfim==6.28 numba==0.68.1 xlsxwriter==3.3.1
	$(BIN)/python bench/bench_sales.py --lines 50000000 --repeat 3
	$(BIN)/python bench/bench_rules.py --products 100000 1000000
	$(BIN)/python bench/bench_plan.py
	$(BIN)/python bench/bench_engines.py
	$(BIN)/python bench/bench_decisions.py
	$(BIN)/python bench/bench_intake.py
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_exports.py
	$(BIN)/python bench/bench_rerun.py --repeat 5
	$(BIN)/python bench/bench_scale.py

# Java 17 from Debian's packages, for the Spark engine's tests (pyspark runs Spark on it).
java:
	@java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' || { \
	  echo "Installing Debian's Java 17 for the Spark engine's tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

# The README's screenshot of the index page (two seasons, so that the key figures have a comparison), and every
# page on a desktop, a phone and printed (docs/screenshots/), and the same pages in Chinese (docs/screenshots/zh/;
# Chromium draws their text with Debian's fonts-noto-cjk).
screenshot: $(STAMP) browser
	$(BIN)/tagkit report --season 2025Q3 --quiet
	$(BIN)/tagkit report --season 2025Q4 --quiet
	mkdir -p docs
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	  --disable-component-update --disable-sync --user-data-dir=$$(mktemp -d) --hide-scrollbars \
	  --window-size=1100,1240 --screenshot=docs/index.png file://$(CURDIR)/reports/2025Q4/index.html
	$(BIN)/python docs/make_screenshots.py reports/2025Q4
	$(BIN)/tagkit report --season 2025Q4 --language zh --out build/zh --quiet
	$(BIN)/python docs/make_screenshots.py build/zh/2025Q4 docs/screenshots/zh

clean:
	rm -rf $(VENV)
