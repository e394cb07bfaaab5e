# Tribunal Scope: `make run` serves the app, `make test` runs the whole suite.
# Both create .venv, install the pinned requirements and migrate the SQLite database first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PORT ?= 5000
DEV := TRIBUNAL_ENV=development

.PHONY: setup db run serve test lint translations clean-venv bench bench-upload bench-dossier bench-export bench-imports bench-load

setup: $(STAMP)
	@scripts/system-packages
	$(BIN)/pybabel compile --use-fuzzy -d translations

$(STAMP): requirements.txt
	@scripts/system-packages
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

# Migrate the development database (instance/tribunal.db unless DATABASE_URL is set)
# and load the demo data when it holds no officials yet.
db: setup
	@mkdir -p instance
	$(DEV) $(BIN)/flask --app app db upgrade
	$(DEV) $(BIN)/flask --app app demo load --if-empty
	$(DEV) $(BIN)/flask --app app dossiers refresh --if-empty
	$(DEV) $(BIN)/flask --app app dossiers refresh --stale

run: db
	@$(DEV) $(BIN)/flask --app app users list
	$(DEV) $(BIN)/flask --app app run --host 127.0.0.1 --port $(PORT)

# Production mode against DATABASE_URL (SQLite in instance/ when unset) with gunicorn.conf.py;
# SECRET_KEY must be set (the app refuses to start with a missing or weak one).
serve: setup
	TRIBUNAL_ENV=production $(BIN)/flask --app app db upgrade
	TRIBUNAL_ENV=production $(BIN)/flask --app app dossiers refresh --stale
	TRIBUNAL_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py "app:create_app()"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# The suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL names a database.
test: db lint
	$(BIN)/python -m pytest
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
		echo "== the suite again on PostgreSQL"; \
		TRIBUNAL_TEST_DB="$(TEST_DATABASE_URL)" $(BIN)/python -m pytest; \
	else \
		echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

# Collect the interface's strings into translations/messages.pot and merge them into each language.
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=.venv --no-location \
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
bench: bench-upload bench-dossier bench-export bench-imports bench-load

bench-upload: setup
	$(BIN)/python bench/upload.py

bench-dossier: setup
	$(BIN)/python bench/dossier.py

bench-export: setup
	$(BIN)/python bench/export_bag.py

bench-imports: setup
	$(BIN)/python bench/imports.py

# SCALES=1000,10000 limits the scales, BENCH_SECONDS=10 sets the load per endpoint.
bench-load: setup
	$(BIN)/python bench/load.py
