# Wegweiser – the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install messages catalogues run test lint bench bench-load backup restore clean system-packages-run system-packages-test

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Compiled translations (.mo) are built, never committed; each only when its catalogue changed
# (msgfmt as `manage.py compilemessages` runs it), so runs side by side never write them at once.
CATALOGUES := $(wildcard directory/locale/*/LC_MESSAGES/django.po)
messages: $(CATALOGUES:.po=.mo)

%.mo: %.po
	msgfmt --check-format -o $@ $<

# Refresh the .po catalogues from the code and templates (then translate the new entries).
LOCALES := en ar fa tr uk ru pl ro bg
catalogues: install
	$(MANAGE) makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --add-location=file \
		--ignore=.venv --ignore=node_modules --ignore=tests --ignore=staticfiles --ignore=var --ignore=bench

# Programs from the system's package manager (python3-venv, gettext; for the tests also
# Chromium and pdftoppm): installed through apt as root, otherwise named in one line.
system-packages-run system-packages-test:
	@sh bin/system-packages $(@:system-packages-%=%)

run: system-packages-run install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) create_coordinator
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .

test: system-packages-test install messages
	$(VENV)/bin/ruff check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# `make backup` writes var/backups/wegweiser-<date-time>.json.gz (or BACKUP=path);
# `make restore BACKUP=path` migrates, then loads it into an empty database.
backup: install
	$(MANAGE) backup $(BACKUP)

restore: install
	@test -n "$(BACKUP)" || (echo "Usage: make restore BACKUP=var/backups/wegweiser-….json.gz" >&2; exit 2)
	$(MANAGE) migrate --noinput
	$(MANAGE) restore $(BACKUP)

# Load benchmark on 127.0.0.1 (bench/run.py): SQLite and PostgreSQL, 1,000 and 10,000 offers,
# about 4 minutes; writes bench/RESULTS.md. BENCH_ARGS passes options, e.g. --quick.
bench: install messages
	$(PY) bench/run.py $(BENCH_ARGS)

# 64 connections for 60 s on the category and offer pages, PostgreSQL at 10,000 offers (about 5 minutes).
bench-load: install messages
	$(PY) bench/run.py --load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
