"""manage.py load_demo: enough realistic data for a demo, every role able to log in, and idempotent."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from wagtail.models import WorkflowState

from accounts.models import Organization, PlatformRole, User
from accounts.uscc import validate_uscc
from cms.management.commands.load_demo import SEED_POLICY_FILE, policy_paragraphs
from cms.models import NewsPage, PolicyPage
from marketplace.agreements import metrics
from marketplace.agreements.models import Agreement
from marketplace.deals.models import Deal
from marketplace.events.models import EventPage
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from marketplace.listings.selectors import public_listings

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)  # pytest runs with DEBUG off
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "achievements": AchievementPage.objects.count(),
        "demands": DemandPage.objects.count(),
        "pilot_bases": PilotBasePage.objects.count(),
        "news": NewsPage.objects.count(),
        "policies": PolicyPage.objects.count(),
        "emails": EmailAddress.objects.count(),
        "events": EventPage.objects.count(),
        "agreements": Agreement.objects.count(),
        "deals": Deal.objects.count(),
    }


# One test on purpose: a load takes tens of seconds on PostgreSQL (hundreds of page revisions).
@pytest.mark.django_db
def test_load_demo_fills_the_site_once_and_every_role_can_use_it(client):
    output = load_demo()
    first = counts()
    load_demo()

    assert counts() == first, "a second run must not add anything"
    assert first["organizations"] >= 12
    for org in Organization.objects.all():
        validate_uscc(org.uscc)
    assert public_listings(AchievementPage).count() >= 60
    assert public_listings(DemandPage).count() >= 30
    assert public_listings(PilotBasePage).count() >= 8
    in_review = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    assert 2 <= in_review.count() <= 3
    reviewed_types = {type(state.content_object.specific) for state in in_review}
    assert reviewed_types == {AchievementPage, DemandPage, PilotBasePage}

    # Activity for the dashboard and the deal board: events (some already held), agreements this year
    # (some signed at those events) and deals at several stages.
    from django.utils import timezone

    year = timezone.localdate().year
    assert metrics.compute("agreements_signed", year).value >= 40
    assert metrics.compute("high_end_events", year).value >= 1
    assert Agreement.objects.filter(event__isnull=False).exists()
    assert Deal.objects.values("stage").distinct().count() >= 3
    assert EventPage.objects.live().filter(starts_at__gt=timezone.now()).exists()

    policy = PolicyPage.objects.live().get(document_number="滨科字〔2023〕1号")
    assert policy.issuer == "滨州市科学技术局" and policy.date.isoformat() == "2023-02-25"
    assert "签署各类产学研合作协议500项以上" in policy.body

    users = list(User.objects.all())
    assert set(PlatformRole.values) <= {u.role for u in users}
    assert all(EmailAddress.objects.filter(user=u, verified=True, primary=True).exists() for u in users)
    bureau = User.objects.get(role=PlatformRole.BUREAU, is_superuser=False)
    assert bureau.is_staff and bureau.groups.filter(name="Moderators").exists()
    assert User.objects.get(email="admin@demo.binzhou.example").is_superuser
    # The demo agent and organizer hold their roles through an approved application, like anyone else.
    for role in (PlatformRole.AGENT, PlatformRole.ORGANIZER):
        holder = User.objects.get(role=role)
        assert holder.role_applications.filter(role=role, status="approved").exists()
    assert User.objects.get(role=PlatformRole.ENTERPRISE).memberships.filter(
        organization__kind="enterprise").exists()

    # The home page, in Chinese, shows the newest demo results, demands and pilot bases.
    home = client.get("/", **ZH).content.decode()
    for model in (AchievementPage, DemandPage, PilotBasePage):
        assert public_listings(model).first().title in home
    assert "最新科技成果" in home and "最新技术需求" in home
    assert policy.title in home

    # The printed credentials work, and the bureau sees the pending listings in the Wagtail admin.
    assert "FOR LOCAL USE ONLY" in output
    email, password = next((line.split()[1], line.split()[2]) for line in output.splitlines()
                           if line.strip().startswith("bureau"))
    assert client.post("/accounts/login/", {"login": email, "password": password}).status_code == 302
    admin_home = client.get("/admin/").content.decode()
    assert any(state.content_object.title in admin_home for state in in_review)


def test_the_seed_policy_is_split_into_headed_paragraphs():
    header, parts = policy_paragraphs(SEED_POLICY_FILE.read_text(encoding="utf-8"))

    assert header["政策文号"] == "滨科字〔2023〕1号" and header["发布部门"] == "滨州市科学技术局"
    headings = [text for kind, text in parts if kind == "h"]
    assert headings[0].startswith("一、强化顶层设计") and len(headings) == 6
    subs = [text for kind, text in parts if kind == "sub"]
    assert subs[0].startswith("(一)强化党对科技工作的全面领导。")
    assert not any("政策解读" in text for _, text in parts), "the source page's link list is not the document"
    assert parts[0][1].startswith("各县(市、区)")  # "(市、区)" is not a numbered sub-heading
