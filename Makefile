# Frontline: `make run` (set up and build the warehouse from seeds/), `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin
INPUT ?= seeds
WAREHOUSE ?= warehouse/frontline.duckdb
# The development sets beside the gold set: every ../shared/dev/<set>/ with a labels/ folder.
DEV_SETS := $(patsubst %/labels,%,$(wildcard ../shared/dev/*/labels))

# Telemetry off everywhere; the ephemeral Prefect server needs time on 2 cores.
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 90
export UV_PYTHON_DOWNLOADS := never

.PHONY: help setup run serve test docs lint fmt generate golden evaluate bench clean

help: ## Show this help
	@grep -E '^[a-z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/frontline: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

setup: $(BIN)/frontline ## Create .venv with everything (installs uv with pip if missing)

run: setup ## Build the warehouse from INPUT (default seeds/) into WAREHOUSE
	$(BIN)/frontline run --input $(INPUT) --warehouse $(WAREHOUSE)

serve: setup ## Run the flow every hour (CRON, default "0 * * * *"); starts a local Prefect server unless PREFECT_API_URL is set
	$(BIN)/frontline serve --cron "$(or $(CRON),0 * * * *)" --input $(INPUT) --warehouse $(WAREHOUSE)

# Test processes (pytest-xdist): one per core of the 2-core machines the project runs on.
TEST_WORKERS ?= 2

test: setup ## Run the fast suite (unit, schemas, golden, desk), then the end-to-end suite unless it failed
	$(BIN)/pytest -m "not e2e" -n $(TEST_WORKERS)
	$(BIN)/pytest -m e2e -n $(TEST_WORKERS)

docs: setup ## Generate the dbt docs and print where static_index.html is
	$(BIN)/frontline docs --warehouse $(WAREHOUSE)

evaluate: setup ## Build warehouse/eval.duckdb from ../shared/gold and every ../shared/dev set; score each set and all together (SPLIT=tune|holdout)
	$(BIN)/frontline evaluate --gold ../shared/gold $(DEV_SETS) --build --attribution --split $(or $(SPLIT),all) --warehouse warehouse/eval.duckdb

lint: setup ## ruff check and format check
	$(BIN)/ruff check flows schemas tests
	$(BIN)/ruff format --check flows schemas tests

fmt: setup ## ruff format and safe fixes
	$(BIN)/ruff check --fix flows schemas tests
	$(BIN)/ruff format flows schemas tests

generate: setup ## Rewrite the files derived from schemas/ (dbt source YAML, vocabulary docs, seeds)
	$(BIN)/python -m schemas.generate

golden: setup ## Regenerate tests/golden/expected from seeds/ and ../shared/gold/articles (review the diff!)
	$(BIN)/python -m tests.golden.regenerate

bench: setup ## Benchmark full runs on synthetic corpora (SIZES="1000 10000"; LARGE=1 adds 100k; RUNNER=dask; ADVERSARIAL=1 adds hostile texts, ADVERSARIAL=only runs them alone); results in benchmarks/out/
	$(BIN)/python -m benchmarks.bench --sizes $(if $(filter only,$(ADVERSARIAL)),,$(or $(SIZES),1000 10000)) $(if $(LARGE),--large) $(if $(ADVERSARIAL),--adversarial) --task-runner $(or $(RUNNER),threads)

clean: ## Remove the virtualenv, warehouse files and dbt artefacts
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.build warehouse/*.wal warehouse/*.html warehouse/*.dbt warehouse/reference dbt_project/target dbt_project/logs
