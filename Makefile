# The two everyday commands: `make run` (demo portal) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install messages benchmark benchmark-pages benchmark-office benchmark-certificates benchmark-uploads benchmark-import benchmark-city backup restore clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

run: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=$${DEBUG:-true} PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l ru --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=benchmarks
	DEBUG=1 $(BIN)/python manage.py compilemessages -l ru --ignore=.venv

benchmark: install benchmark-pages benchmark-office
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_bench} $(BIN)/python benchmarks/rating_benchmark.py

benchmark-certificates: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_bench} $(BIN)/python benchmarks/certificates_benchmark.py

# Six 60-megapixel uploads at once against gunicorn (2 workers), an anonymous page timed meanwhile.
benchmark-uploads: install
	DATABASE_URL=$${UPLOADS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_bench_uploads} $(BIN)/python benchmarks/upload_benchmark.py

# The staff import at a city's size (5 000 people, a category and a course each) by the command and
# through the admin, in a database of its own (emptied before each run); `IMPORT_BENCHMARK_ARGS=--rows 500`.
benchmark-import: install
	DATABASE_URL=$${IMPORT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_imports_bench} $(BIN)/python benchmarks/import_benchmark.py $(IMPORT_BENCHMARK_ARGS)

# One dated folder under BACKUP_DIR (default ./backups): database dump, media, environment note.
backup: install
	$(BIN)/python manage.py backup

# Into an EMPTY database (created when DATABASE_URL names one that does not exist) and MEDIA_ROOT.
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/2026-11-28_031500"; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)"

# The page section: demo and network-size data in a database of its own (emptied on every run).
benchmark-pages: install
	DATABASE_URL=$${PAGES_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_bench_pages} $(BIN)/python benchmarks/page_benchmark.py

# The demo's signed-in pages on the demo and in a city of 200 kindergartens of 30 teachers with five
# years of history, in a database of its own (emptied on every run); `CITY_BENCHMARK_ARGS=--requests 20`.
benchmark-city: install
	DATABASE_URL=$${CITY_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_bench_city} $(BIN)/python benchmarks/page_benchmark.py --city 200 $(CITY_BENCHMARK_ARGS)

# The office's pages and every admin list at 6 000 staff, in a database of its own (built once;
# `OFFICE_BENCHMARK_ARGS=--recreate` rebuilds it).
benchmark-office: install
	DATABASE_URL=$${OFFICE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kp_bench_office} $(BIN)/python benchmarks/office_benchmark.py $(OFFICE_BENCHMARK_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
