# The project's commands. `make demo` runs the app; `make test` runs the whole test suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DEBUG ?= 1

.PHONY: demo test lint fmt messages bench install assets migrate clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The checkout's own settings (git-ignored, written once, never overwritten): development mode and a
# random SECRET_KEY, so a bare `.venv/bin/python manage.py <command>` works with nothing exported.
.env:
	@umask 077 && python3 -c "import secrets; print('DEBUG=1'); print('SECRET_KEY=' + secrets.token_urlsafe(50))" > $@.tmp
	@mv $@.tmp $@
	@echo "wrote $@ (DEBUG=1 and a random SECRET_KEY)"

install: $(VENV)/.installed node_modules/.installed .env

assets: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

migrate: install
	$(PY) manage.py migrate --noinput

# Web, Celery worker and beat together on the embedded defaults (SQLite, filesystem broker).
demo: install migrate
	$(PY) manage.py seed_demo
	PORT=$(PORT) HOST=$(HOST) $(VENV)/bin/honcho start -f Procfile

# One test process per core (pytest-xdist, at most 4), each with its own test database (test_staffdev_gw0 …)
# and its own copy of the seeded demo (tests/worlds.py). `make test PYTEST_ARGS=tests/staff` runs a part.
PYTEST_ARGS ?= -n auto --maxprocesses=4
test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# makemessages refreshes locale/ only; compilemessages compiles every LOCALE_PATHS entry, so also the
# hand-written locale_vendor/ (third-party apps' admin strings). Both .mo files are committed.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-location --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

bench: install
	$(PY) -m bench

clean:
	rm -rf var/db.sqlite3* var/celery-broker var/staticfiles
