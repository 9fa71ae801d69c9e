"""`manage.py check --deploy` is clean with production values from the environment (see README)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#kq!2vN9$wL4@pZ8&rT1^mB6*cF3(hJ5)yD0_sG7+eA2-uQ9=oI4~nK8",
    "DJANGO_ALLOWED_HOSTS": "techmarket.binzhou.example",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/techmarket",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _check(extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(extra)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = _check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    del env["DJANGO_SECRET_KEY"]
    result = _check(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
