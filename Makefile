# Oversight: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test lint format bench bench-load screenshots messages clean install worker

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input -v0
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py make_renditions
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

# The production configuration on this machine (DEBUG off, gunicorn per deploy/, plain http on
# 127.0.0.1:8001): to see what readers get. Uses DATABASE_URL/REDIS_URL if set.
SERVE_ENV = DEBUG=0 SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	SITE_URL=$${SITE_URL:-http://127.0.0.1:8001} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
	TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED-}
serve: $(STAMP)
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input -v0
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	$(SERVE_ENV) $(BIN)/gunicorn -c deploy/gunicorn.conf.py config.wsgi

# Runs queued tasks (subscription emails). Run any number, on any machines sharing the database.
# With `make run` (DEBUG) tasks run in the web process unless TASKS_BACKEND=database is set there.
worker: $(STAMP)
	DEBUG=$${DEBUG:-1} TASKS_BACKEND=$${TASKS_BACKEND:-database} $(BIN)/python manage.py db_worker

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark smoke tests (deselected by `make test`), then the page benchmark at full size.
bench: $(STAMP)
	$(BIN)/python -m pytest -m bench tests/bench $(PYTEST_ARGS)
	$(BIN)/python tests/bench/bench_pages.py

# The load figures of issue 13 (tests/bench/bench_numbers.py): wrk against gunicorn with the
# shipped configuration on the SQLite demo and a 10,000-article PostgreSQL build (database
# h8_load, emptied), uncached and cached (Redis db 8), and through nginx; about 15 minutes.
# BENCH_ARGS=--reuse keeps a finished PostgreSQL build; BENCH_ARGS=--quick is a smoke.
bench-load: $(STAMP)
	$(BIN)/python tests/bench/bench_numbers.py $(BENCH_ARGS)

screenshots: $(STAMP)
	$(BIN)/python tests/browser/screenshots.py

messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l cy --ignore=.venv --ignore=tests --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
