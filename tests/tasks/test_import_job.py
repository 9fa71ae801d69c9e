"""An agreement register uploaded on the bureau's import page becomes a job: the page redirects at once to the
report, the real worker imports the rows from private storage, and the report then lists each bad line by row
and column (the same rules as tests/agreements/test_import.py, here proven through the broker and worker)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from marketplace.agreements.models import Agreement
from tests.agreements.test_import import _csv_bytes, _rows, orgs  # noqa: F401 - shared fixture
from tests.factories import make_user
from tests.worker import wait_until


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_uploaded_register_is_imported_by_the_worker(task_worker, client, orgs, settings):  # noqa: F811
    settings.PRIVATE_MEDIA_ROOT = task_worker.log.parent / "private-media"  # where the worker reads uploads
    uploader = make_user("bureau")
    client.force_login(uploader)
    upload = SimpleUploadedFile("register.csv", _csv_bytes(_rows(orgs)), content_type="text/csv")
    response = client.post(reverse("agreements:import"), {"file": upload})
    assert response.status_code == 302
    job = Job.objects.get(created_by=uploader)
    assert response["Location"] == reverse("agreements:import_job", args=[job.pk])

    wait_until(lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).exists(), timeout=60,
               what=f"the worker's import (log: {task_worker.log})")
    page = client.get(response["Location"]).content.decode()
    assert "已导入 2 行" in page and "5 行有错误未导入" in page
    assert "<td>3</td><td>合同金额（元） amount</td>" in page, "row 3 has a negative amount"
    assert Agreement.objects.count() == 2
    assert not any((task_worker.log.parent / "private-media" / "imports" / "agreements").iterdir()), \
        "the stored upload is removed once imported"

    other = make_user("bureau")
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404, "only the uploader sees the report"


def test_a_running_import_shows_its_progress_and_refreshes(client, db):
    uploader = make_user("bureau")
    job = Job.objects.create(kind="agreements.import", subject="t", created_by=uploader,
                             status=Job.Status.RUNNING, progress=40, stage="正在导入第40行，共100行")
    client.force_login(uploader)
    page = client.get(reverse("agreements:import_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "正在导入第40行，共100行" in page and 'value="40"' in page
