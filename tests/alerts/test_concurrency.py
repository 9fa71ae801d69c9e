"""Two alert tasks for the same listing at once (a retry overlapping the first run, or a duplicate
delivery), and two digest runs at once: still one alert and one e-mail per person. Real PostgreSQL,
one connection per thread."""

import threading

import pytest
from django.core import mail
from django.db import close_old_connections, connection, connections

from marketplace.alerts import services
from marketplace.alerts.models import Alert, AlertDigest
from tests.conftest import require_service

# serialized_rollback: the flush after a transactional test also removes migration data (taxonomy,
# the Wagtail root), which the next transactional test needs restored.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgres_only(db):
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "concurrent inserts and row locks need PostgreSQL; run with DATABASE_URL")


def _at_once(target, *args, n: int = 2) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        close_old_connections()
        try:
            barrier.wait(timeout=60)
            results[i] = target(*args)
        except BaseException as error:  # noqa: BLE001 - each thread's outcome is inspected
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def test_two_tasks_for_one_listing_at_once_make_one_alert_and_one_mail_per_person(
    new_result, enterprise_user, colleague
):
    Alert.objects.all().delete()  # as if the publish-time task had not run yet
    services.set_frequency(enterprise_user, "immediate")
    services.set_frequency(colleague, "immediate")
    mail.outbox.clear()
    results = _at_once(services.alert_new_listing, new_result.pk)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 2, "two mails between the two runs, whichever sent them"
    assert sorted(Alert.objects.filter(listing=new_result).values_list("user_id", flat=True)) == sorted(
        [enterprise_user.pk, colleague.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([enterprise_user.email, colleague.email])


def test_two_digest_runs_at_once_send_one_digest(new_result, enterprise_user, colleague):
    services.set_frequency(colleague, "off")
    mail.outbox.clear()
    results = _at_once(services.send_digests)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 1
    assert [m.to for m in mail.outbox] == [[enterprise_user.email]]
    assert AlertDigest.objects.filter(user=enterprise_user).count() == 1
