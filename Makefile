# coopwatch developer commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench models lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/coopwatch serve

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q || [ $$? -eq 5 ]

bench: $(STAMP)
	$(BIN)/python -m bench

# Retrain the committed de/en NER models (nlp/models/ner-*) from ../shared/corpus/ner;
# about 20 min per language on one core (17-18 min measured, 2-core machine under load). Never run in CI.
models: $(STAMP)
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/pip install --quiet --no-deps 'german-nouns>=1.2.5,<2'
	$(BIN)/coopwatch train ner --lang de
	$(BIN)/coopwatch train ner --lang en

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info
