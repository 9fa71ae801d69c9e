#!/usr/bin/env bash
# Runs pytest with every real service wired in through the environment. pytest's exit code 5 ("no
# tests collected") is a failure here: a suite that ran nothing proves nothing.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Settings fail closed (DEBUG off, no secret key -> no start); the test process is a development machine.
# pytest-django still runs the tests themselves with DEBUG off.
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
export DATABASE_URL="${TEST_DATABASE_URL:-$(services/postgres.sh url)}"
export ELASTICSEARCH_URL_FOR_TESTS="${ELASTICSEARCH_URL_FOR_TESTS:-http://127.0.0.1:${ES_PORT:-9200}}"
export ELASTICSEARCH_URL="$ELASTICSEARCH_URL_FOR_TESTS"
export SEARCH_BACKEND="${SEARCH_BACKEND:-embedded}"
# The shared cache: Redis when it answers (make test starts it); under CI always, so a missing Redis fails.
if [ -z "${REDIS_URL:-}" ] && { services/redis.sh status >/dev/null 2>&1 || [ "${CI:-}" = "true" ]; }; then
  export REDIS_URL="$(services/redis.sh url)"
fi
export CACHE_KEY_PREFIX="${CACHE_KEY_PREFIX:-test$$}"  # runs sharing one Redis never see each other's keys
export CELERY_QUEUE="${CELERY_QUEUE:-test$$}"  # nor each other's tasks (tests/worker.py starts the worker)
export STRIPE_API_BASE="${STRIPE_API_BASE:-http://127.0.0.1:${STRIPE_MOCK_PORT:-12111}}"
export STRIPE_SECRET_KEY="${STRIPE_SECRET_KEY:-sk_test_123}"
export STRIPE_WEBHOOK_SECRET="${STRIPE_WEBHOOK_SECRET:-whsec_test_techmarket}"
.venv/bin/pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "run_tests: pytest collected no tests; treating that as a failure" >&2
  exit 1
fi
exit "$status"
