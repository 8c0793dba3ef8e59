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

install: $(VENV)/.installed node_modules/.installed

assets: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

migrate: install
	$(PY) manage.py migrate --noinput

# Web, Celery worker and beat together on the embedded defaults (SQLite, filesystem broker).
demo: install migrate
	$(PY) manage.py seed_demo
	PORT=$(PORT) HOST=$(HOST) $(VENV)/bin/honcho start -f Procfile

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-location --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

bench: install
	$(PY) -m bench

clean:
	rm -rf var/db.sqlite3* var/celery-broker var/staticfiles
