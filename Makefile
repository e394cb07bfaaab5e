# Tribunal Scope: `make run` serves the app, `make test` runs the whole suite.
# Both create .venv, install the pinned requirements and migrate the SQLite database first:
# `make run` only what running needs (requirements.txt), `make test` the test tools as well
# (requirements-dev.txt, Chromium for the browser tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
DEV_STAMP := $(VENV)/.requirements-dev-installed
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
PORT ?= 5000
DEV := TRIBUNAL_ENV=development

.PHONY: setup setup-dev setup-bench db run serve chain-key test test-fast lint translations clean-venv bench bench-upload bench-dossier bench-export bench-imports bench-load bench-fulltext bench-ocr

setup: $(STAMP)
	@scripts/system-packages run
	$(BIN)/pybabel compile --use-fuzzy -d translations

$(STAMP): requirements.txt
	@scripts/system-packages run
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	@touch $(STAMP)

# Running needs, and the tools of the tests and checks
setup-dev: setup $(DEV_STAMP)
	@scripts/system-packages test

$(DEV_STAMP): requirements-dev.txt requirements.txt
	@scripts/system-packages test
	$(PIP) -r requirements-dev.txt
	@touch $(DEV_STAMP)

# Migrate the development database (instance/tribunal.db unless DATABASE_URL is set)
# and load the demo data when it holds no officials yet.
db: setup
	@mkdir -p instance
	$(DEV) $(BIN)/flask --app app db upgrade
	$(DEV) $(BIN)/flask --app app demo load --if-empty
	$(DEV) $(BIN)/flask --app app dossiers refresh --if-empty
	$(DEV) $(BIN)/flask --app app dossiers refresh --stale

# The job worker (text extraction) runs beside the server and stops with it (scripts/run-with-worker).
run: db
	@$(DEV) $(BIN)/flask --app app users first-admin
	$(DEV) scripts/run-with-worker $(BIN)/flask --host 127.0.0.1 --port $(PORT)

# The key of the custody chains and the audit trail, created once (never over an existing one);
# production refuses to start without it. Keep a copy apart from the backups.
chain-key: setup
	$(BIN)/python -m services.common.chain_keys "$${CHAIN_KEY_PATH:-instance/chain-key}"

# Production mode against DATABASE_URL (SQLite in instance/ when unset) with gunicorn.conf.py;
# SECRET_KEY must be set (the app refuses to start with a missing or weak one). Background jobs
# (text extraction, OCR) need the worker as a process of its own, kept running by the service
# manager beside gunicorn with the same settings: `TRIBUNAL_ENV=production .venv/bin/flask --app app
# jobs worker --workers 2`. With several servers, set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for
# all of them and run one worker or more anywhere; without it the queue is instance/jobs.sqlite3.
serve: setup
	TRIBUNAL_ENV=production $(BIN)/flask --app app db upgrade
	TRIBUNAL_ENV=production $(BIN)/flask --app app dossiers refresh --stale
	TRIBUNAL_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py "app:create_app()"

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Test processes (pytest-xdist): one per core unless set; each module runs whole in one of
# them (its module fixtures made once), each has databases of its own (tests/conftest.py).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadfile

# The whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL names a database;
# the time per engine is printed at the end.
test: db lint
	@scripts/test-engines $(BIN)/python $(PYTEST_PARALLEL)

# The inner loop: SQLite only, without the slow tiers (marked browser, fuzz, concurrency,
# slow; see pyproject.toml), whose folders are not even collected. `make test` runs everything.
test-fast: setup-dev
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not (browser or fuzz or concurrency or slow)" \
		--ignore=tests/test_browser --ignore=tests/test_fuzz --ignore=tests/test_concurrency \
		--ignore=tests/test_api/test_schemathesis.py

# The suite imports hundreds of modules in each pass: keep their compiled (and pytest's
# rewritten) forms, even where the environment says not to write them.
test test-fast: export PYTHONDONTWRITEBYTECODE :=

# Collect the interface's strings into translations/messages.pot and merge them into each language.
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --ignore-dirs=.venv --no-location \
		--project "Tribunal Scope" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations

clean-venv:
	rm -rf $(VENV)

# Benchmarks (figures recorded in bench/RESULTS.md): a 1 GiB upload through gunicorn against
# sha256sum; the dossier page of an official with 1,000 involvements (p95, queries per page);
# a bag with 2 GiB of exhibits (peak memory, time against zip -0); the EU 269/2014 import and
# OFAC matching (under 30 s / 60 s, precision and recall); the app under load with wrk at 1k, 10k
# and 100k officials on SQLite, and on PostgreSQL when DATABASE_URL names one (issue 9: its
# schema is dropped and rebuilt). `make -k bench` runs them all even when one misses its target.
bench: bench-upload bench-dossier bench-export bench-imports bench-load bench-fulltext bench-ocr

setup-bench: setup
	@scripts/system-packages bench

bench-upload: setup-bench
	$(BIN)/python bench/upload.py

bench-dossier: setup-bench
	$(BIN)/python bench/dossier.py

bench-export: setup-bench
	$(BIN)/python bench/export_bag.py

bench-imports: setup-bench
	$(BIN)/python bench/imports.py

# SCALES=1000,10000 limits the scales, BENCH_SECONDS=10 sets the load per endpoint.
bench-load: setup-bench
	$(BIN)/python bench/load.py

# Search inside exhibits at PAGES pages of synthetic text (SQLite; PostgreSQL with DATABASE_URL).
PAGES ?= 1000000
bench-fulltext: setup-bench
	$(BIN)/python bench/fulltext.py --pages $(PAGES)

# OCR against the tesseract command alone, and a 500-page PDF's extraction (issue 22).
bench-ocr: setup-bench
	$(BIN)/python bench/ocr.py
