"""Migration 0004: organizers and agents who chose their role before roles were granted lose it until
bureau staff confirm it; each gets a pending application in the review queue."""

import importlib

import pytest
from django.apps import apps

from accounts.models import PlatformRole, RoleApplication, User
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0004_privacy_consent_and_role_applications")


def test_self_declared_organizers_and_agents_become_pending_applications_and_back():
    agent = make_user(PlatformRole.AGENT)
    academic = make_org("institute", name="滨州研究院", members=[agent])
    organizer = make_user(PlatformRole.ORGANIZER)  # no organization
    superuser = make_user(PlatformRole.ORGANIZER, is_superuser=True)
    enterprise = make_user(PlatformRole.ENTERPRISE)

    migration.carry_over_self_declared_roles(apps, None)

    roles = {u.pk: u.role for u in User.objects.all()}
    assert roles[agent.pk] == "university"  # the base role of an institute's member
    assert roles[organizer.pk] == "enterprise"
    assert roles[superuser.pk] == "organizer" and roles[enterprise.pk] == "enterprise"
    pending = {(a.user_id, a.role, a.organization_id) for a in RoleApplication.objects.filter(status="pending")}
    assert pending == {(agent.pk, "agent", academic.pk), (organizer.pk, "organizer", None)}

    migration.restore_carried_over_roles(apps, None)
    assert User.objects.get(pk=agent.pk).role == "agent" and User.objects.get(pk=organizer.pk).role == "organizer"
    assert not RoleApplication.objects.exists()
