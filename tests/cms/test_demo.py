"""manage.py load_demo: enough realistic data for a demo, every role able to log in, and idempotent."""

import re
from collections import Counter
from datetime import timedelta
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
from marketplace.events.models import EventPage, Participant, Registration
from marketplace.listings.models import AchievementIPItem, AchievementPage, DemandPage, PilotBasePage
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

    # The work plan's year 2023 is the baseline: its agreements (all verified), its events, and the
    # dashboard's 2023 view shows them.
    assert Agreement.objects.filter(signed_on__year=2023).count() == 36
    assert {a.signed_on.month for a in Agreement.objects.filter(signed_on__year=2023)} == set(range(1, 13))
    assert metrics.compute("agreements_signed", 2023).value >= 30
    assert metrics.compute("high_end_events", 2023).value == 2  # 院士专家论坛 and 中科院专家滨州行
    assert metrics.compute("service_activities", 2023).value == 1
    assert metrics.compute("universities_engaged", 2023).value >= 1

    # Events already held had guests: registrations, most people checked in, a few no-shows.
    held = EventPage.objects.live().filter(starts_at__lt=timezone.now())
    assert held.count() >= 6
    for event in held:
        people = Participant.objects.filter(registration__event=event)
        came = people.filter(checked_in_at__isnull=False)
        assert 0 < came.count() < people.count(), event.title
        assert all(event.starts_at - timedelta(hours=1) <= p.checked_in_at <= event.ends_at for p in came)
        assert Registration.objects.filter(event=event, status="checked_in").exists()

    # Listing texts read as written by different people: no 8-character phrase recurs in more than half
    # of the demands' descriptions, of the results' summaries, or of their details.
    for texts in (list(DemandPage.objects.values_list("description", flat=True)),
                  list(AchievementPage.objects.values_list("summary", flat=True)),
                  list(AchievementPage.objects.values_list("detail", flat=True))):
        phrase, share = _most_shared_phrase(texts, 8)
        assert share <= 0.5, f"“{phrase}” appears in {share:.0%} of them"
    # Patent numbers in CNIPA's format with a correct check digit.
    patents = AchievementIPItem.objects.filter(ip_type__in=["invention_patent", "utility_model"])
    assert patents.count() >= 30
    assert all(_valid_patent_number(item.number) for item in patents)

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
    dashboard_2023 = client.get("/dashboard/?year=2023").content.decode()
    signed_2023 = re.search(r'data-metric="agreements_signed"[^>]*data-actual="(\d+)"', dashboard_2023)
    assert signed_2023 and int(signed_2023.group(1)) == metrics.compute("agreements_signed", 2023).value


def _most_shared_phrase(texts: list[str], n: int) -> tuple[str, float]:
    """The n-character run found in the most texts, and the share of texts containing it."""
    seen = Counter()
    for text in texts:
        seen.update({text[i:i + n] for i in range(len(text) - n + 1)})
    phrase, count = seen.most_common(1)[0]
    return phrase, count / len(texts)


def _valid_patent_number(number: str) -> bool:
    """ZL + year + kind (1 invention, 2 utility model) + 7-digit serial, then the check digit: the 12 digits
    weighted 2..9,2..5, sum mod 11 (10 is written X)."""
    match = re.fullmatch(r"ZL(\d{12})\.([\dX])", number)
    if not match:
        return False
    total = sum(int(d) * w for d, w in zip(match.group(1), [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True))
    return match.group(2) == ("X" if total % 11 == 10 else str(total % 11))


def test_patent_number_check_digit_worked_by_hand():
    # 2 0 2 1 1 0 1 2 3 4 5 6 weighted 2,3,4,5,6,7,8,9,2,3,4,5: 4+0+8+5+6+0+8+18+6+12+20+30 = 117,
    # 117 mod 11 = 7.
    assert _valid_patent_number("ZL202110123456.7")
    assert not _valid_patent_number("ZL202110123456.8")


def test_the_seed_policy_is_split_into_headed_paragraphs():
    header, parts = policy_paragraphs(SEED_POLICY_FILE.read_text(encoding="utf-8"))

    assert header["政策文号"] == "滨科字〔2023〕1号" and header["发布部门"] == "滨州市科学技术局"
    headings = [text for kind, text in parts if kind == "h"]
    assert headings[0].startswith("一、强化顶层设计") and len(headings) == 6
    subs = [text for kind, text in parts if kind == "sub"]
    assert subs[0].startswith("(一)强化党对科技工作的全面领导。")
    assert not any("政策解读" in text for _, text in parts), "the source page's link list is not the document"
    assert parts[0][1].startswith("各县(市、区)")  # "(市、区)" is not a numbered sub-heading
