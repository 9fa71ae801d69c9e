# The two commands the README starts with:
#   make run   - set up and run the site on SQLite + the embedded search engine, with demo data
#   make test  - set up and run the whole test suite against PostgreSQL, Elasticsearch, Redis, stripe-mock, Chromium
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL := postgres://techmarket:techmarket@127.0.0.1:54329/techmarket

.PHONY: run setup test test-services lint bench

# `make run` is a development machine: DEBUG on explicitly (settings default to off).
setup run: export DJANGO_DEBUG=1
# Links in e-mails and QR codes, and the Wagtail Site's host and port, follow where the site is served.
setup run: export SITE_BASE_URL ?= http://$(HOST):$(PORT)

setup:
	services/python_env.sh
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py search_reindex

run: setup
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test-services:
	services/python_env.sh
	services/postgres.sh start
	services/elasticsearch.sh start
	services/stripe_mock.sh start
	services/redis.sh start
	services/chromium.sh
	services/gettext.sh

test: test-services
	.venv/bin/ruff check .
	services/run_tests.sh $(ARGS)

bench: test-services
	$(PY) bench/search_bench.py
	$(PY) bench/schedule_bench.py
