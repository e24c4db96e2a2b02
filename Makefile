# The two quick-start commands are `make serve` and `make test`; both install what they need.
.PHONY: serve test update build bench install lock lock-upgrade check-torch check-zensical mutation
.DEFAULT_GOAL := test

VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# nbconvert (under mkdocs-jupyter) otherwise instantiates every exporter it knows when it is
# imported, about half a second of every build, to list them in a help text.
export NBCONVERT_DISABLE_CONFIG_EXPORTERS := 1

# PyTorch's index of CPU-only wheels. PyPI has no CPU build of torch for Linux: there,
# torch==2.13.0 is the CUDA build, gigabytes of NVIDIA libraries this site never uses.
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
PIP_COMPILE := pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --output-file requirements.lock
# Shell: index="--extra-index-url TORCH_INDEX", or index="" if the machine's own package
# sources already have the torch of requirement $(1) (a mirror, a wheel folder).
torch_source = if $(BIN)/python -m pip install --quiet --dry-run --no-deps --no-index $(1) \
	>/dev/null 2>&1; then index=""; else index="--extra-index-url $(TORCH_INDEX)"; fi

# Every Python package, exactly as locked with its hashes (requirements.lock, written from
# pyproject.toml by pip-compile), then the project itself; KaTeX as locked in package-lock.json.
$(VENV)/.installed: requirements.lock package.json package-lock.json pyproject.toml
	python3 -m venv $(VENV)
	$(call torch_source,$$(grep -o '^torch==[^ ]*' requirements.lock)); \
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps $$index -r requirements.lock
	# (setuptools warns, at length, that an editable install is one.)
	PYTHONWARNINGS="ignore:Editable installation" \
		$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

## Serve the site at http://127.0.0.1:8000 (or ADDR=host:port) and rebuild on every change to
## docs/ or snippets/, running the examples that changed (sitebuild/live.py).
ADDR ?= 127.0.0.1:8000
serve: install
	$(BIN)/mkdocs serve -a $(ADDR)

## Run every test: the engine's own tests, the site build, and every example of every page.
## One test process per core, at most four (tests/conftest.py says which tests stay together).
test: install
	$(BIN)/python -m pytest -rs -n auto --maxprocesses 4

## Rewrite every output block under docs/ with what its example really prints.
update: install
	$(BIN)/python -m pytest docs --update-output

## Write requirements.lock again after a change to pyproject.toml (keeps the other pins).
lock: install
	$(call torch_source,$$(grep -o 'torch==[^"]*' pyproject.toml)); \
	$(BIN)/$(PIP_COMPILE) $$index pyproject.toml

## Move every unpinned package to its newest version allowed by pyproject.toml.
lock-upgrade: install
	$(call torch_source,$$(grep -o 'torch==[^"]*' pyproject.toml)); \
	$(BIN)/$(PIP_COMPILE) $$index --upgrade pyproject.toml

## Build the static site into site/.
build: install
	$(BIN)/mkdocs build --strict

## Mutation testing of the engine and of the build's logic: mutmut changes docscheck/ and the
## modules of sitebuild/ listed in pyproject.toml one small edit at a time and runs the tests that
## reach each edit; then the score per module and every mutant no test detected
## (tests/mutation/report.py). MUTANTS="docscheck.verdict*" tries one module, MUTANTS="sitebuild.*"
## the build's; SAMPLE=400 tries 400 mutants drawn at random (SEED=0) and estimates the score of
## all from them. Results are kept in mutants/: a run tries the mutants of functions changed
## since, and those no test detected last time (tests may have been added) unless known to be
## equivalent. Which tests reach which function is recorded anew when the code or its tests
## changed since the last run (mutmut would give a function added since only the tests added since).
MUTANTS ?=
SAMPLE ?=
SEED ?= 0
# What the mutants and the record of which tests reach them depend on.
MUTATION_INPUTS := docscheck sitebuild tests/mutation tests/engine tests/test_parsing.py \
	tests/test_canary.py tests/test_sitebuild.py tests/test_live.py
mutation: install
	mkdir -p mutants  # before Python starts: it does not look again in a folder it found missing
	if [ -n "$$(find $(MUTATION_INPUTS) -name '*.py' \
	      -newer mutants/mutmut-stats.json 2>/dev/null | head -1)" ]; then \
	  rm mutants/mutmut-stats.json; fi
	$(BIN)/python -m tests.mutation.sample $(or $(SAMPLE),all) '$(or $(MUTANTS),docscheck.*)' \
	  --seed $(SEED) > mutants/to-try.txt
	if [ -s mutants/to-try.txt ]; then SITEBUILD_CACHE=false \
	  PYTHONPATH=$(CURDIR)/mutants:$(CURDIR)/tests/mutation \
	  $(BIN)/mutmut run --max-children $$(nproc) $$(cat mutants/to-try.txt); fi
	$(BIN)/python -m tests.mutation.report '$(or $(MUTANTS),docscheck.*)' \
	  $(if $(SAMPLE),--sample mutants/sample.txt)

## Measure the doc-test and the site build against the `import torch` floor.
bench: install
	$(BIN)/python bench/run.py

## Run every page's examples against another torch and record which pages it prints the same
## on (torch-checks.json; the pages then say so): make check-torch VERSION=2.14.1
## The environment is .venv-torch-VERSION, never .venv: every locked package but torch, then
## that torch, from the machine's package sources, or from TORCH_CHECK_INDEX if given
## (for instance --extra-index-url https://download.pytorch.org/whl/cpu with VERSION=x.y.z+cpu).
TORCH_CHECK_ENV = .venv-torch-$(VERSION)
TORCH_CHECK_INDEX ?=
check-torch: install
	@test -n "$(VERSION)" || { echo "make check-torch: which torch? make check-torch VERSION=2.14.1" >&2; exit 2; }
	test -x $(TORCH_CHECK_ENV)/bin/python || python3 -m venv $(TORCH_CHECK_ENV)
	awk '/^torch==/ {skip = 1; next} skip && /^[ \t]/ {next} {skip = 0; print}' requirements.lock \
		> $(TORCH_CHECK_ENV)/requirements-but-torch.txt
	$(TORCH_CHECK_ENV)/bin/python -m pip install --quiet --require-hashes --no-deps \
		-r $(TORCH_CHECK_ENV)/requirements-but-torch.txt
	$(TORCH_CHECK_ENV)/bin/python -m pip install --quiet $(TORCH_CHECK_INDEX) "torch==$(VERSION)"
	PYTHONWARNINGS="ignore:Editable installation" \
		$(TORCH_CHECK_ENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(TORCH_CHECK_ENV)/bin/python -c "import torch; print('checking with torch', torch.__version__)"
	rm -f $(TORCH_CHECK_ENV)/report.xml
	-$(TORCH_CHECK_ENV)/bin/python -m pytest docs -q --junitxml=$(TORCH_CHECK_ENV)/report.xml
	$(BIN)/python -m sitebuild.torchchecks "$(VERSION)" $(TORCH_CHECK_ENV)/report.xml

## Build the site with Zensical too, and report page by page what it would lose against the
## MkDocs build (sitebuild/canary.py): pages, typeset formulas, buttons, figures, exercises.
## The environment is .venv-zensical, never .venv: Zensical and the packages it needs, as
## locked where the lock has them, without torch or anything else of the site's build.
## The report also goes to artifacts/zensical-canary.md.
ZENSICAL_ENV = .venv-zensical
ZENSICAL_VERSION ?= 0.1.1
# What zensical needs that the lock has (their pins and hashes), and what it does not; with
# what the site's KaTeX extension (sitebuild.katex_markdown, imported from the project itself)
# imports besides Markdown: tinycss2, which reads KaTeX's stylesheet, and webencodings, its own.
ZENSICAL_LOCKED = click jinja2 markdown markupsafe pathspec pygments pymdown-extensions pyyaml \
	mkdocs-material tinycss2 webencodings
ZENSICAL_UNLOCKED = zensical==$(ZENSICAL_VERSION) tomli==2.5.0
check-zensical: install
	test -x $(ZENSICAL_ENV)/bin/python || python3 -m venv $(ZENSICAL_ENV)
	awk -v names="$(ZENSICAL_LOCKED)" 'BEGIN {split(names, n, " "); for (i in n) want[n[i]] = 1} \
		/^[^ \t#]/ {split($$1, p, "=="); keep = (p[1] in want)} keep' requirements.lock \
		> $(ZENSICAL_ENV)/requirements-locked.txt
	$(ZENSICAL_ENV)/bin/python -m pip install --quiet --require-hashes --no-deps \
		-r $(ZENSICAL_ENV)/requirements-locked.txt
	$(ZENSICAL_ENV)/bin/python -m pip install --quiet --no-deps $(ZENSICAL_UNLOCKED)
	! $(ZENSICAL_ENV)/bin/python -c "import torch" 2>/dev/null
	PYTHONPATH=. $(ZENSICAL_ENV)/bin/python -c "import sitebuild.katex_markdown"
	$(BIN)/python -m sitebuild.canary --zensical-env $(ZENSICAL_ENV) \
		--report artifacts/zensical-canary.md
