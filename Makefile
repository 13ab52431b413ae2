# chiso — run `make help` for the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEMO_DIR ?= .chiso-demo
DEMO_PORT ?= 8000
PYTEST_ARGS ?=
MUTATE_JOBS ?= 2
FUZZ_CASES ?= 100000
WEB_PG_URL ?= postgresql://postgres@127.0.0.1:5432/chiso_site

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[dev,postgres,spark,web]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install chiso with every extra (pinned by constraints.txt)

demo: $(STAMP) ## synthetic Điện Biên data → scores → reports → site on 127.0.0.1:$(DEMO_PORT) (make demo DEMO_PORT=8001)
	$(VENV)/bin/chiso demo --dir $(DEMO_DIR) --serve --port $(DEMO_PORT)

test: $(STAMP) ## every test: DuckDB, PostgreSQL (127.0.0.1:5432), PySpark, web (SQLite, then PostgreSQL)
	$(PY) -m pytest $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory test-web-postgres

test-web-postgres: $(STAMP) ## the web tests with the site database on PostgreSQL
	@if $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
	  CHISO_DATABASE_URL=$(WEB_PG_URL) $(PY) -m pytest tests/chiso_web -m "not browser" $(PYTEST_ARGS); \
	else echo "SKIPPED: web tests on PostgreSQL (no server at 127.0.0.1:5432)"; fi

test-fast: $(STAMP) ## the DuckDB tier only
	$(PY) -m pytest -m "not postgres and not spark" $(PYTEST_ARGS)

test-postgres: $(STAMP) ## the PostgreSQL tier
	$(PY) -m pytest -m postgres $(PYTEST_ARGS)

test-spark: $(STAMP) ## the PySpark tier
	$(PY) -m pytest -m spark $(PYTEST_ARGS)

fuzz: $(STAMP) ## the fuzz suite, nightly size: FUZZ_CASES (100000) cases over every reader and the push API
	rm -f fuzz-report.json
	FUZZ_PROFILE=nightly FUZZ_CASES=$(FUZZ_CASES) FUZZ_REPORT=fuzz-report.json \
	  $(PY) -m pytest -m fuzz -q -p no:cacheprovider $(PYTEST_ARGS); status=$$?; \
	  $(PY) -c "import json; d = json.load(open('fuzz-report.json')); \
	  [print(f'{t:14} {sum(c.values()):>7} cases  ' + ', '.join(f'{k} {v}' for k, v in sorted(c.items()))) for t, c in sorted(d.items())]; \
	  print(f\"{'total':14} {sum(sum(c.values()) for c in d.values()):>7} cases\")"; exit $$status

lint: $(STAMP) ## ruff lint + format check, mypy --strict on src/chiso and src/chiso_web (django-stubs), import contracts, message catalogues (library, site)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/python scripts/check_catalogue.py
	$(VENV)/bin/python scripts/check_site_messages.py

i18n: $(STAMP) ## extract the messages → update src/chiso/locale/*/chiso.po and src/chiso_web/locale/*/django.po → compile the .mo (docs/adr/0008; needs gettext)
	$(VENV)/bin/pybabel -q extract -F babel.cfg --no-location --sort-output --project chiso -o src/chiso/locale/chiso.pot src/chiso
	$(VENV)/bin/pybabel -q update -i src/chiso/locale/chiso.pot -d src/chiso/locale -D chiso --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel -q compile -d src/chiso/locale -D chiso
	$(PY) scripts/check_site_messages.py --update

fmt: $(STAMP) ## format the code
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

mutate: $(STAMP) ## mutation testing of the arithmetic core with mutmut (slow; not in `make test`: docs/testing.md)
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children $(MUTATE_JOBS)
	$(VENV)/bin/mutmut results
	$(VENV)/bin/mutmut export-cicd-stats
	$(PY) scripts/mutation_score.py mutants/mutmut-cicd-stats.json

bench: $(STAMP) ## benchmarks (see docs/benchmarks.md)
	$(VENV)/bin/chiso bench

schema: $(STAMP) ## export the index-set JSON Schema and the JSON contracts' schemas (schemas/)
	$(VENV)/bin/chiso schema > schemas/index_set.schema.json
	$(PY) -m chiso.contracts schemas

snap: $(STAMP) ## rewrite the SQL snapshots (tests/chiso/compile/snapshots/), then check them
	-$(PY) -m pytest tests/chiso/compile/test_sql_snapshots.py -q -p no:cacheprovider --snapshot-update
	$(PY) -m pytest tests/chiso/compile/test_sql_snapshots.py -q -p no:cacheprovider

docs: $(STAMP) ## regenerate docs/cli.md's command reference, the CLI's help texts for the catalogue (src/chiso/cli/help_texts.py), docs/index-set-reference.md and data-model.md's absent-column table from the code (cog)
	$(VENV)/bin/cog -r -U docs/cli.md docs/index-set-reference.md docs/data-model.md
	$(PY) -c 'from chiso.cli.reference import write_help_texts; write_help_texts()'
	$(VENV)/bin/ruff format -q src/chiso/cli/help_texts.py

demo-smoke: $(STAMP) ## run `make demo` on a fresh clone, request its pages, stop it (scripts/demo_smoke.py)
	$(PY) scripts/demo_smoke.py

test-docs: $(STAMP) ## run every sh block of README.md and docs/*.md as typed (tests/test_docs_run.py)
	$(PY) -m pytest -m docs tests/test_docs_run.py $(PYTEST_ARGS)

ci: lint test demo-smoke ## what .ci/run runs

clean: ## remove the venv and generated data
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache mutants

.PHONY: help install demo demo-smoke test-docs test test-web-postgres test-fast test-postgres test-spark mutate fuzz lint fmt bench schema snap docs ci clean
