# congdoan: `make run` sets up and starts the platform; `make test` sets up and runs the tests.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: setup run test test-all lint bench eval train-topic train-adapter train-reranker questions question-bank llm clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/congdoan db upgrade
	$(VENV)/bin/congdoan corpus bootstrap
	$(VENV)/bin/congdoan serve --host 0.0.0.0 --port $(PORT)

test: setup
	$(VENV)/bin/pytest

test-all: setup
	$(PY) -m pip install --quiet -e '.[dev,st]'
	$(VENV)/bin/pytest -m ''

lint: setup
	$(VENV)/bin/ruff check assistant ingestion bots api evals tests
	$(VENV)/bin/mypy assistant ingestion bots api evals

# One BLAS thread, as `congdoan serve` sets for its workers (see api/serve_cli.py), so search is timed as served.
bench: setup
	OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m evals.bench

llm: setup
	$(PY) -m assistant.answering.local_model

eval: setup
	OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m evals.run

train-reranker: setup
	OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m evals.train_reranker

train-topic: setup
	OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m evals.train_topic

train-adapter: setup
	$(PY) -m evals.train_adapter

questions: setup
	$(PY) -m evals.export_questions

question-bank: setup
	$(PY) -m evals.export_question_bank

clean:
	rm -rf var reports .pytest_cache .mypy_cache .ruff_cache
