"""Settings fail closed: DEBUG is off unless asked for, production will not start without a secret key, and
load_demo neither runs by accident on a production database nor touches an account that already exists."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, PlatformRole, User
from cms.management.commands._demo_data import ADMIN_PASSWORD
from cms.management.commands.load_demo import DEMO_DOMAIN, Command

ROOT = Path(__file__).resolve().parent.parent
PRINT_DEBUG = "from django.conf import settings; print('DEBUG', settings.DEBUG)"


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "REDIS_URL"}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120)


def test_debug_is_off_when_django_debug_is_not_set():
    result = _manage("shell", "-c", PRINT_DEBUG, env={"DJANGO_SECRET_KEY": "k" * 60,
                                                      "REDIS_URL": "redis://127.0.0.1:1/0"})
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_without_debug_and_secret_key_start_up_stops_with_a_clear_message():
    result = _manage("check", env={})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY must be set" in result.stderr


def test_without_debug_a_missing_shared_cache_stops_start_up():
    result = _manage("check", env={"DJANGO_SECRET_KEY": "k" * 60})
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr


def test_make_run_turns_debug_on_explicitly():
    makefile = (ROOT / "Makefile").read_text()
    assert "DJANGO_DEBUG=1" in makefile.split("\nrun:")[1].split("\n\n")[0]
    result = _manage("shell", "-c", PRINT_DEBUG, env={"DJANGO_DEBUG": "1"})
    assert "DEBUG True" in result.stdout, result.stderr


@pytest.mark.django_db
def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists(), "nothing may be written before the refusal"


@pytest.mark.django_db
def test_load_demo_never_changes_an_existing_users_password_or_rights(site):
    someone = User.objects.create_user(email=f"admin@{DEMO_DOMAIN}", password="Own-Pass-2026",
                                       role=PlatformRole.ENTERPRISE)
    changed = User.objects.create_user(email=f"enterprise@{DEMO_DOMAIN}",
                                       password="Changed-By-Owner-1", role=PlatformRole.ENTERPRISE)
    agent = User.objects.create_user(email=f"agent@{DEMO_DOMAIN}", password="Agent-Own-1",
                                     role=PlatformRole.ENTERPRISE)

    command = Command()
    command.created = {"organizations": 0, "users": 0}
    users = command.load_users(command.load_organizations())

    someone.refresh_from_db()
    changed.refresh_from_db()
    # The account that already holds the demo admin's address stays an ordinary user with its own password.
    assert someone.check_password("Own-Pass-2026") and not someone.check_password(ADMIN_PASSWORD)
    assert not (someone.is_superuser or someone.is_staff)
    assert users["admin"].pk == someone.pk
    # An existing account at the demo agent's address is not granted the agent role.
    agent.refresh_from_db()
    assert agent.role == PlatformRole.ENTERPRISE and not agent.role_applications.exists()
    # A demo e-mail whose password its owner changed keeps that password and gets no memberships.
    assert users[str(PlatformRole.ENTERPRISE)].pk == changed.pk
    assert changed.check_password("Changed-By-Owner-1") and not changed.check_password("Demo-Enterprise-2023")
    assert not Membership.objects.filter(user=changed).exists()
