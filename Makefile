# Carbon Portal set-up. `make run` serves the portal; `make test` runs the whole suite.
# Both install what is missing first: OS packages (apt-packages.txt, when root or sudo is
# available), a virtualenv in .venv with the pinned Python dependencies, compiled
# translations, the migrated database, the factor library and the demo data.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(PY) manage.py
APT_PACKAGES := $(shell grep -v '^\s*\#' apt-packages.txt | xargs)
SUDO := $(shell [ "$$(id -u)" = 0 ] && echo "" || (command -v sudo >/dev/null && echo sudo -n))

.PHONY: run test setup system-packages python-packages translations database demo-data worker mqtt clean

run: setup demo-data
	$(MANAGE) runserver $(HOST):$(PORT)

# Two pytest-xdist workers (the machine has 2 cores), each with its own test database (and Redis
# database, tests/conftest.py). Not --dist loadfile: it would run transactional tests (test_invoices)
# amid the others; plain load keeps pytest-django's order, transactional tests last. PYTEST_ARGS= runs serially.
PYTEST_ARGS ?= -n 2
test: setup
	DJANGO_SETTINGS_MODULE=carbon_portal.settings.test $(PY) -m pytest $(PYTEST_ARGS)

setup: system-packages python-packages translations database

system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then \
			echo "Installing OS packages: $$missing"; \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "Missing OS packages (install them as root): $$missing" >&2; exit 1; \
		fi; \
	fi

$(VENV)/.installed: requirements/base.txt requirements/test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements/test.txt
	touch $@

python-packages: $(VENV)/.installed

translations: python-packages
	$(MANAGE) compilemessages --ignore=.venv -v 0

database: python-packages
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_factor_library

demo-data: database
	$(MANAGE) seed_demo

# Production-style processes (see README): a Celery worker for every queue and the MQTT subscriber.
worker: setup
	OMP_THREAD_LIMIT=1 $(VENV)/bin/celery -A carbon_portal worker -Q default,ocr,documents -l info

mqtt: setup
	$(MANAGE) mqtt_ingest

clean:
	rm -rf $(VENV) var
