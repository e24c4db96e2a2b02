# The two quick-start commands are `make serve` and `make test`; both install what they need.
.PHONY: serve test update build bench install
.DEFAULT_GOAL := test

VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

# Python tools and libraries (pinned in pyproject.toml) and KaTeX (pinned in package-lock.json).
$(VENV)/.installed: pyproject.toml package.json package-lock.json
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

## Serve the site at http://127.0.0.1:8000 and rebuild on every change to docs/ or snippets/.
serve: install
	$(BIN)/mkdocs serve

## Run every test: the engine's own tests, the site build, and every example of every page.
test: install
	$(BIN)/python -m pytest

## Rewrite every output block under docs/ with what its example really prints.
update: install
	$(BIN)/python -m pytest docs --update-output

## Build the static site into site/.
build: install
	$(BIN)/mkdocs build --strict

## Measure the doc-test and the site build against the `import torch` floor.
bench: install
	$(BIN)/python bench/run.py
