# Two commands do everything on a fresh machine: `make map` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES ?= seeds
OUT    ?= out
EVAL_DIR ?= ../shared/eval

.PHONY: setup map test lint typecheck pytest eval eval-events bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

map: setup
	$(BIN)/conflictmap build $(SOURCES) --out $(OUT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest -q

test: lint typecheck pytest

# Geoparsing: recognition and resolution on the corpora of $(EVAL_DIR).
eval: setup
	$(BIN)/python -m bench.evaluate $(EVAL_DIR)

# Events: the UCDP headlines of $(EVAL_DIR) and tests/data/events_dev/*.jsonl when present,
# recall and precision by language and class.
eval-events: setup
	$(BIN)/python -m bench.evaluate_events $(EVAL_DIR)

bench: setup
	$(BIN)/python -m bench.run --one-core

clean:
	rm -rf $(OUT) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
