"""The dashboard's register export as a job: bureau staff start it, the task builds the workbook into private
storage (in-process here: no broker), and only whoever started it can download the file."""

import io

import openpyxl
import pytest
from django.urls import reverse

from jobs.models import Job
from marketplace.agreements import importing
from tests.agreements.test_import import _csv_bytes, _rows, orgs  # noqa: F401 - shared fixture
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_register_is_exported_in_the_background_for_its_requester(client, orgs,  # noqa: F811
                                                                        django_capture_on_commit_callbacks):
    bureau = make_user("bureau")
    importing.import_agreements(user=bureau, filename="register.csv", content=_csv_bytes(_rows(orgs)))
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:export_start"), {"year": "2023"})
    job = Job.objects.get(kind="agreements.export", created_by=bureau)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:export_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    download = reverse("dashboard:export_download", args=[job.pk])
    assert "协议登记表已生成" in page and download in page

    response = client.get(download)
    assert response.status_code == 200 and 'filename="agreements-2023.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "铝合金压铸工艺开发" in cells, "the imported agreement signed in 2023 is in the register"

    client.force_login(make_user("bureau"))
    assert client.get(download).status_code == 404, "another staff member cannot fetch someone else's file"
    assert client.post(reverse("dashboard:export_start"), {"year": "1900"}).status_code == 400
