"""Bureau staff see failed background tasks in the Wagtail admin (任务失败记录), read-only; owners do not."""

import pytest

from jobs.models import TaskFailure

pytestmark = pytest.mark.django_db
LISTING = "/admin/task_failures/"


def test_bureau_staff_read_the_failures_and_cannot_edit_them(client, bureau_user):
    failure = TaskFailure.objects.create(task_name="payments.refund_registration", task_id="t1", attempt=3,
                                         final=True, error="PaymentServiceError: Stripe refund failed")
    client.force_login(bureau_user)
    listing = client.get(LISTING)
    assert listing.status_code == 200
    assert "Stripe refund failed" in listing.content.decode()
    assert client.get(f"{LISTING}inspect/{failure.pk}/").status_code == 200
    assert client.get(f"{LISTING}add/").status_code in (302, 403, 404), "nobody records a failure by hand"
    assert client.get(f"{LISTING}edit/{failure.pk}/").status_code in (302, 403, 404)


def test_owners_do_not_see_the_failures(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get(LISTING)
    assert response.status_code in (302, 403)
    assert "Stripe" not in response.content.decode()
