"""The bureau's listing import page: the JSON Lines upload becomes a job (in-process here: no broker; the
agreement import proves the same path through the real worker in test_import_job.py), and the report lists
each bad line with its key and reason while the good lines are saved."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from marketplace.listings.models import DemandPage
from tests.factories import make_user
from tests.listings.test_import_listings import demand

pytestmark = pytest.mark.django_db


def _upload(*lines) -> SimpleUploadedFile:
    text = "\n".join(json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x for x in lines) + "\n"
    return SimpleUploadedFile("listings.jsonl", text.encode(), content_type="application/jsonl")


def test_an_upload_is_imported_as_a_job_and_reports_each_bad_line(client, site, django_capture_on_commit_callbacks):
    bureau = make_user("bureau")
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listings:import"), {
            "file": _upload(demand("dem-1"), "{not json", demand("dem-2", budget_min=-5)), "publish": "on"})
    job = Job.objects.get(created_by=bureau, kind="listings.import")
    assert response.status_code == 302 and response["Location"] == reverse("listings:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["created"] == 1 and job.result["failed_lines"] == 2
    page = client.get(response["Location"]).content.decode()
    assert "新建 1 条，更新 0 条，2 行失败。" in page
    assert "<td>2</td>" in page and "<td>3</td>" in page, "lines 2 and 3 are listed with their problems"
    assert DemandPage.objects.live().filter(title=demand()["title"]).count() == 1


def test_only_the_bureau_may_import_and_a_non_utf8_file_is_refused_on_the_form(client, site):
    client.force_login(make_user("enterprise"))
    assert client.post(reverse("listings:import"), {"file": _upload(demand())}).status_code == 403
    client.force_login(make_user("bureau"))
    gbk = SimpleUploadedFile("listings.jsonl", "{\"title\": \"铝合金\"}\n".encode("gbk"))
    response = client.post(reverse("listings:import"), {"file": gbk})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
    assert not Job.objects.exists(), "a refused file starts no job"
