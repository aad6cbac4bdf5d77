# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= build/demo.sqlite

.PHONY: install demo test lint typecheck pytest bench bench-quick clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "influcampaign needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	mkdir -p $(dir $(DEMO_DB))
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(PY) -m influcampaign demo --db $(DEMO_DB)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy --strict src tests

# The suite runs beside a throwaway PostgreSQL server that scripts/with_postgres.py starts
# (installing Debian's postgresql package when it is missing) and removes afterwards.
pytest: install
	$(PY) scripts/with_postgres.py -- $(PY) -m pytest -n 2 --cov --cov-report=term

test: lint typecheck pytest

# Benchmarks run beside the throwaway PostgreSQL too, so bench_storage measures all backends.
bench: install
	$(PY) scripts/with_postgres.py -- sh -c 'for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done'

bench-quick: install
	$(PY) scripts/with_postgres.py -- sh -c 'for b in benchmarks/bench_*.py; do $(PY) $$b --quick || exit 1; done'

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache .coverage
