"""Without a username, staff still create and edit accounts in the Wagtail admin and the Django admin."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser(email="root@bz.example.cn", password="Root-pass-2023")
    client.force_login(user)
    return user


def test_wagtail_admin_creates_and_edits_a_user_by_email(client, superuser):
    form = client.get("/admin/users/new/")
    assert form.status_code == 200
    assert 'name="username"' not in form.content.decode() and 'name="email"' in form.content.decode()
    response = client.post("/admin/users/new/", {
        "email": "New.Staff@bz.example.cn", "first_name": "新", "last_name": "同事",
        "password1": "Staff-pass-2023x", "password2": "Staff-pass-2023x", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new.staff@bz.example.cn")
    assert user.check_password("Staff-pass-2023x")

    response = client.post(f"/admin/users/edit/{user.pk}/", {
        "email": "renamed@bz.example.cn", "first_name": "新", "last_name": "同事", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.email == "renamed@bz.example.cn"
    assert client.get("/admin/users/").status_code == 200


def test_django_admin_creates_a_user_by_email(client, superuser):
    response = client.post("/django-admin/accounts/user/add/", {
        "email": "ops@bz.example.cn", "usable_password": "true",
        "password1": "Ops-pass-2023-x", "password2": "Ops-pass-2023-x"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.filter(email="ops@bz.example.cn").exists()
    assert client.get("/django-admin/accounts/user/").status_code == 200
