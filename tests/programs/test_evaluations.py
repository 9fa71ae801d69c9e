"""科技成果评价: bureau staff enter third-party evaluation reports; the level is a public badge, a filter
("this level or better") and a sort on the results list; the report file is the bureau's only."""

import datetime as dt
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from marketplace.listings.models import AchievementIndexPage, AchievementPage
from marketplace.programs import services
from marketplace.programs.models import EvaluationLevel, EvaluationReport
from tests.agreements.builders import pdf
from tests.cms.builders import publish_listing
from tests.factories import achievement_data, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _client(user=None) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


@pytest.fixture
def results(site):
    """Three live results of one university, published in this order (the list is newest first):
    leading (国际领先), advanced (国内先进), plain (never evaluated, the newest)."""
    owner = make_user("university")
    org = make_org("university", members=[owner])
    pages = {}
    for name in ("leading", "advanced", "plain"):
        pages[name] = publish_listing(AchievementPage, achievement_data(org, title=f"成果{name}"))
    bureau = make_user("bureau")
    services.enter_evaluation(user=bureau, data={
        "achievement": pages["advanced"], "evaluator": "山东省科技成果评价中心", "evaluated_on": date(2023, 4, 1),
        "level": EvaluationLevel.NATIONAL_ADVANCED})
    for when, level in ((date(2023, 5, 1), EvaluationLevel.NATIONAL_LEADING),
                        (date(2023, 6, 1), EvaluationLevel.INTERNATIONAL_LEADING)):
        services.enter_evaluation(user=bureau, data={
            "achievement": pages["leading"], "evaluator": "中国科学技术信息研究所", "evaluated_on": when,
            "level": level})
    return {"owner": owner, "bureau": bureau, **pages}


def _titles(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]*">(成果\w+)</a></h3>', response.content.decode())


def test_bureau_staff_enter_an_evaluation_through_the_page_and_it_shows_as_a_badge(results):
    client = _client(results["bureau"])
    response = client.post("/programs/evaluations/", {
        "achievement": results["plain"].pk, "evaluator": "滨州市科技成果评价中心", "evaluated_on": "2023-07-01",
        "level": EvaluationLevel.INTERNATIONAL_ADVANCED, "report_number": "BZ-2023-07", "report": pdf("报告.pdf")})
    assert response.status_code == 302
    evaluation = EvaluationReport.objects.get(achievement=results["plain"])
    assert (evaluation.level, evaluation.entered_by) == (2, results["bureau"])
    assert not evaluation.report.name.endswith("报告.pdf")  # stored under a random name

    page = _client().get(results["plain"].url).content.decode()
    assert re.search(r'data-badge>成果评价：国际先进<', page)
    # The best of several reports is the badge; a result never evaluated has none.
    assert "成果评价：国际领先" in _client().get(results["leading"].url).content.decode()
    listing = _client().get(AchievementIndexPage.objects.first().url).content.decode()
    assert listing.count("data-badge>成果评价") == 3


def test_bad_evaluations_come_back_as_field_errors_in_chinese(results):
    client = _client(results["bureau"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post("/programs/evaluations/", {
        "achievement": results["plain"].pk, "evaluator": "某评价机构", "evaluated_on": tomorrow.isoformat(),
        "level": 1})
    assert response.status_code == 200
    assert response.context["form"].errors == {"evaluated_on": ["评价日期不能晚于今天。"]}
    response = client.post("/programs/evaluations/", {
        "achievement": results["leading"].pk, "evaluator": "中国科学技术信息研究所", "evaluated_on": "2023-06-01",
        "level": 1})
    assert "该机构在同一日期对该成果的评价已登记。" in response.content.decode()
    response = client.post("/programs/evaluations/", {"achievement": results["plain"].pk, "evaluator": "x",
                                                      "evaluated_on": "2023-06-01", "level": 9})
    assert "level" in response.context["form"].errors
    assert EvaluationReport.objects.count() == 3


def test_the_level_filters_the_results_list_as_this_level_or_better(results):
    index = AchievementIndexPage.objects.first().url
    client = _client()
    assert _titles(client.get(index)) == ["成果plain", "成果advanced", "成果leading"]
    assert _titles(client.get(index, {"evaluation": "1"})) == ["成果leading"]
    assert _titles(client.get(index, {"evaluation": "3"})) == ["成果leading"]  # 国内领先及以上
    assert _titles(client.get(index, {"evaluation": "4"})) == ["成果advanced", "成果leading"]
    assert _titles(client.get(index, {"evaluation": "x"})) == ["成果plain", "成果advanced", "成果leading"]
    page = client.get(index, {"evaluation": "4"}).content.decode()
    assert '国内领先及以上' in page and 'href="?evaluation=2"' in page


def test_better_evaluated_results_rank_first_when_sorted_by_evaluation(results):
    index = AchievementIndexPage.objects.first().url
    # 国际领先 (1) before 国内先进 (4) before the newest, which has no evaluation.
    assert _titles(_client().get(index, {"sort": "evaluation"})) == ["成果leading", "成果advanced", "成果plain"]


def test_only_bureau_staff_enter_evaluations_and_read_the_report(results):
    evaluation = services.enter_evaluation(user=results["bureau"], data={
        "achievement": results["plain"], "evaluator": "滨州市科技成果评价中心", "evaluated_on": date(2023, 8, 1),
        "level": 3, "report": pdf()})
    url = f"/programs/evaluations/{evaluation.pk}/report/"
    download = _client(results["bureau"]).get(url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    for user in (results["owner"], make_user("enterprise")):  # not even the result's own institution
        assert _client(user).get(url).status_code == 403
        assert _client(user).get("/programs/evaluations/").status_code == 403
        assert _client(user).post("/programs/evaluations/", {"achievement": results["plain"].pk}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.enter_evaluation(user=user, data={"achievement": results["plain"], "evaluator": "x",
                                                       "evaluated_on": date(2023, 1, 1), "level": 1})
    assert _client().get(url)["Location"].startswith("/accounts/login/")
    assert _client(results["bureau"]).get("/programs/evaluations/999999/report/").status_code == 404
