"""manage.py load_demo — realistic Chinese demo data for local use and review.

Idempotent: organizations are keyed by USCC, users by e-mail, listings by ``external_id`` ("demo-..."),
articles by slug; running it again adds nothing. Deterministic: every generated value comes from a
random generator seeded with the item's own key, so the same item always gets the same text.

The organizations' names for universities and institutes are real places the 2023 work plan names;
the enterprises, every listing text, code and contact are invented for the demo.
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

from accounts.models import Membership, Organization, PlatformRole, User
from accounts.services import grant_role
from accounts.uscc import USCC_ALPHABET, uscc_check_char
from cms.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage, SiteContact
from cms.site_setup import ensure_site_structure
from marketplace.agreements.models import Agreement
from marketplace.events.models import EventPage
from marketplace.listings.choices import TransferMode
from marketplace.listings.models import (
    AchievementIndexPage,
    AchievementIPItem,
    AchievementPage,
    DemandIndexPage,
    DemandPage,
    ListingPage,
    PilotBaseIndexPage,
    PilotBasePage,
)
from marketplace.listings.services import create_listing
from marketplace.taxonomy.models import County, IndustryField

from ._demo_activity import load_deals, load_events
from ._demo_agreements import load_agreements, load_baseline_agreements
from ._demo_challenges import load_challenges
from ._demo_data import (
    ACADEMIC,
    ADMIN_PASSWORD,
    AGENCY,
    DIVISION,
    ENTERPRISE,
    FIELD_APPLICATION,
    FIELD_COUNTY,
    NEWS,
    OPERATOR,
    ORGS,
    PAINS,
    PENDING,
    PILOT_BASES,
    SURNAMES,
    TITLES_ACADEMIC,
    TITLES_BUSINESS,
    TOPICS,
    USERS,
    Org,
    Topic,
)
from ._demo_history import BASELINE_AGREEMENTS, BASELINE_YEAR, load_attendance, load_baseline_events
from ._demo_texts import achievement_detail, achievement_summary, demand_description, ip_items

SEED = 2023
DEMO_DOMAIN = "demo.binzhou.example"
SEED_POLICY_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "seed_policy_2023.txt"


def _rng(key: str) -> random.Random:
    return random.Random(f"{SEED}:{key}")


def demo_uscc(org: Org) -> str:
    """A USCC with a correct check character: 91 for companies, 12 for public institutions. The
    9-character organization code is generated, not a real one."""
    rng = _rng(f"uscc:{org.key}")
    company = org.kind in (ENTERPRISE, OPERATOR, AGENCY)
    division = org.division or DIVISION[org.county]
    if company:  # codes issued since 2015 start with MA
        code = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
    else:
        code = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice(USCC_ALPHABET)
    first17 = ("91" if company else "12") + division + code
    return first17 + uscc_check_char(first17)


def policy_paragraphs(text: str) -> tuple[dict, list[tuple[str, str]]]:
    """Split the seed notice (one long line after a short header) into headed paragraphs.

    Returns the header fields and a list of (kind, text), kind being "p", "h" (一、...) or "sub" ((一)...).
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    header = {"title": lines[0]}
    body_lines = []
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep and key in {"发布部门", "发布时间", "政策文号", "有效性"}:
            header[key] = value.strip()
        elif line != "政策":
            body_lines.append(line)
    body = "".join(body_lines)
    body = body.split("政策解读|", 1)[0]  # the source page's trailing navigation links, not the document
    # The notice's date line and the attachment's title start their own paragraphs.
    body = re.sub(r"(滨州市科学技术局\s*2023年2月25日)", r"\n\1\n", body, count=1)
    body = re.sub(r"(2023年全市科技工作要点)(2023年是)", r"\1\n\2", body, count=1)
    body = re.sub(r"(?<=。)(2023年全市科技工作的主要目标是)", r"\n\1", body, count=1)
    body = re.sub(r"(?<=[。”])([一二三四五六七八九十]+、)", r"\n\1", body)
    body = re.sub(r"(?<=[\u4e00-\u9fff。”])(\([一二三四五六七八九十]+\))", r"\n\1", body)
    parts: list[tuple[str, str]] = []
    for chunk in (c.strip() for c in body.split("\n")):
        if not chunk:
            continue
        if re.match(r"[一二三四五六七八九十]+、", chunk):
            parts.append(("h", chunk))
        elif re.match(r"\([一二三四五六七八九十]+\)", chunk):
            parts.append(("sub", chunk))
        else:
            parts.append(("p", chunk))
    return header, parts


def policy_html(parts: list[tuple[str, str]]) -> str:
    html = []
    for kind, text in parts:
        if kind == "h":
            html.append(f"<h3>{escape(text)}</h3>")
        elif kind == "sub":
            head, sep, rest = text.partition("。")
            html.append(f"<p><b>{escape(head + sep)}</b>{escape(rest)}</p>")
        elif text == "2023年全市科技工作要点":
            html.append(f"<h2>{escape(text)}</h2>")
        else:
            html.append(f"<p>{escape(text)}</p>")
    return "".join(html)


class Command(BaseCommand):
    help = "Load realistic Chinese demo data (organizations, users, listings, news, seed policy). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="load even though DEBUG is off (a staging copy, never production)")

    def handle(self, *args, **options):
        # Demo accounts have published passwords: a production database (DEBUG off) must not get them by
        # accident.
        if not settings.DEBUG and not options.get("force"):
            raise CommandError("load_demo 会创建密码公开的演示账号，DEBUG 关闭时拒绝运行；"
                               "确需在此环境加载演示数据请加 --force。")
        with transaction.atomic():
            ensure_site_structure()
            self.created = dict.fromkeys(("organizations", "users", "achievements", "demands", "pilot_bases",
                                          "pending", "news", "policies", "events", "registrations", "agreements",
                                          "deals", "challenges"), 0)
            self.now = timezone.now()
            orgs = self.load_organizations()
            users = self.load_users(orgs)
            self.load_site_contact()
            self.load_policy()
            self.load_news()
            self.load_listings(orgs, users)
            self.load_pending(orgs, users)
            self.created["events"], events = load_events(users["organizer"])
            # The work plan's year, 2023, as the baseline the dashboard compares the current year with.
            new_2023, events_2023 = load_baseline_events(users["organizer"])
            self.created["events"] += new_2023
            self.created["registrations"] = load_attendance([*events.values(), *events_2023], users["bureau"])
            self.created["agreements"] = (
                load_agreements(users["bureau"], events)
                + load_baseline_agreements(users["bureau"], events_2023, BASELINE_YEAR, BASELINE_AGREEMENTS))
            self.created["deals"] = load_deals(users["agent"])
            self.created["challenges"] = load_challenges(orgs, users)
        self.report()

    # -- organizations and people ------------------------------------------------------------------------
    def load_organizations(self) -> dict[str, Organization]:
        counties = {c.slug: c for c in County.objects.all()}
        result = {}
        for spec in ORGS:
            rng = _rng(f"org:{spec.key}")
            uscc = demo_uscc(spec)
            titles = TITLES_BUSINESS if spec.kind == ENTERPRISE else TITLES_ACADEMIC
            org = Organization.objects.filter(uscc=uscc).first()
            if org is None:
                org = Organization(name=spec.name, kind=spec.kind, uscc=uscc,
                                   county=counties.get(spec.county),
                                   contact_name=rng.choice(SURNAMES) + rng.choice(titles),
                                   contact_phone=f"0543-{rng.randint(3100000, 8999999)}",
                                   contact_email=f"{spec.key}@{DEMO_DOMAIN}", verified=True)
                org.full_clean()
                org.save()
                self.created["organizations"] += 1
            result[spec.key] = org
        return result

    def load_users(self, orgs: dict[str, Organization]) -> dict[str, User]:
        users: dict[str, User] = {}
        self.kept: list[str] = []
        moderators = Group.objects.filter(name="Moderators").first()
        for role, local, password, name, memberships in USERS:
            email = f"{local}@{DEMO_DOMAIN}"
            user = self._user(email=email, password=password, role=role,
                              display_name=name, is_staff=role == PlatformRole.BUREAU)
            users[str(role)] = user
            if user.email in self.kept:
                continue  # an existing account keeps its groups and memberships as they are
            if role == PlatformRole.BUREAU and moderators:
                user.groups.add(moderators)
            for key, member_role in memberships:
                Membership.objects.get_or_create(user=user, organization=orgs[key],
                                                 defaults={"role": member_role})
        admin = self._user(email=f"admin@{DEMO_DOMAIN}", password=ADMIN_PASSWORD,
                           role=PlatformRole.BUREAU, display_name="平台管理员", is_staff=True,
                           is_superuser=True)
        users["admin"] = admin
        for role in (PlatformRole.AGENT, PlatformRole.ORGANIZER):  # granted by the bureau, with a record
            if users[str(role)].email in self.kept:
                continue  # never change an existing account's rights
            membership = users[str(role)].memberships.select_related("organization").first()
            grant_role(user=users[str(role)], role=role, by=users[str(PlatformRole.BUREAU)],
                       organization=membership.organization if membership else None)
        return users

    def _user(self, *, email: str, password: str, **fields) -> User:
        """The demo account with this e-mail, created once. An existing account is never changed: not its
        password, not its rights (someone may have taken the address or changed a demo password on
        purpose)."""
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            self.kept.append(user.email)
            return user
        user = User(email=email, **fields)
        user.set_password(password)
        user.save()
        self.created["users"] += 1
        address, _ = EmailAddress.objects.get_or_create(user=user, email=user.email,
                                                        defaults={"verified": True, "primary": True})
        if not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save()
        return user

    def load_site_contact(self) -> None:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return
        contact = SiteContact.for_site(site)
        if not (contact.hotline or contact.email or contact.address):
            contact.hotline = "0543-0000000（演示 demo）"
            contact.email = f"service@{DEMO_DOMAIN}"
            contact.address = "山东省滨州市（演示数据 demo data）"
            contact.save()

    # -- articles -------------------------------------------------------------------------------------------
    def load_policy(self) -> None:
        index = PolicyIndexPage.objects.first()
        if PolicyPage.objects.filter(slug="2023-work-plan").exists():
            return
        header, parts = policy_paragraphs(SEED_POLICY_FILE.read_text(encoding="utf-8"))
        page = PolicyPage(
            title=header["title"], slug="2023-work-plan", date=date(2023, 2, 25),
            issuer=header.get("发布部门", "滨州市科学技术局"),
            document_number=header.get("政策文号", "滨科字〔2023〕1号"),
            summary="全市2023年科技工作的总体思路与主要目标，包括签署各类产学研合作协议500项以上、"
                    "组织中科院专家滨州行和院士专家论坛等高端对接活动。",
            body=policy_html(parts), live=False,
        )
        index.add_child(instance=page)
        self._publish(page, None, datetime(2023, 2, 25, 9, 0))
        self.created["policies"] += 1

    def load_news(self) -> None:
        index = NewsIndexPage.objects.first()
        for slug, day, title, summary, paragraphs in NEWS:
            if NewsPage.objects.filter(slug=slug).exists():
                continue
            page = NewsPage(title=title, slug=slug, date=day, summary=summary, live=False,
                            body="".join(f"<p>{escape(p)}</p>" for p in paragraphs))
            index.add_child(instance=page)
            self._publish(page, None, datetime(day.year, day.month, day.day, 10, 0))
            self.created["news"] += 1

    def _publish(self, page: Page, user: User | None, published: datetime) -> None:
        # Wagtail keeps an existing first_published_at when publishing; it must be in the row beforehand.
        if timezone.is_naive(published):
            published = timezone.make_aware(published)
        page.first_published_at = published
        page.save(update_fields=["first_published_at"], clean=False)
        # Demo data stands in for content the bureau has already approved: no per-user permission check.
        page.save_revision(user=user).publish(user=user, skip_permission_checks=True)

    # -- listings -------------------------------------------------------------------------------------------
    def load_listings(self, orgs: dict[str, Organization], users: dict[str, User]) -> None:
        fields = {f.slug: f for f in IndustryField.objects.all()}
        counties = {c.slug: c for c in County.objects.all()}
        owners = self._owners(orgs, users)
        academic = [o for o in ORGS if o.kind in ACADEMIC]
        enterprises = [o for o in ORGS if o.kind == ENTERPRISE]
        parent = AchievementIndexPage.objects.first()
        for n, topic in enumerate(TOPICS, start=1):
            external_id = f"demo-achievement-{n:03d}"
            rng = _rng(external_id)
            # Most results come from universities and institutes; every sixth from an enterprise's R&D.
            pool = enterprises if n % 6 == 0 else academic
            candidates = ([o for o in pool if topic.field in o.fields]
                          or [o for o in academic if topic.field in o.fields])
            spec = rng.choice(candidates)
            rights = self._ip_items(topic, rng)
            data = self._achievement_data(topic, spec, rng, fields, counties, patents=len(rights))
            self._create_published(AchievementPage, parent, external_id, data, owners[spec.key],
                                   orgs[spec.key], rng, ip_items=rights)
        parent = DemandIndexPage.objects.first()
        demand_topics = [t for t in TOPICS if t.demand]
        for n, topic in enumerate(demand_topics, start=1):
            external_id = f"demo-demand-{n:03d}"
            rng = _rng(external_id)
            spec = rng.choice([o for o in enterprises if topic.field in o.fields])
            data = self._demand_data(topic, spec, rng, fields, counties)
            self._create_published(DemandPage, parent, external_id, data, owners[spec.key], orgs[spec.key],
                                   rng)
        parent = PilotBaseIndexPage.objects.first()
        for n, base in enumerate(PILOT_BASES, start=1):
            key, title, field, served, capabilities, equipment, capacity, fees = base
            external_id = f"demo-pilot-base-{n:03d}"
            rng = _rng(external_id)
            spec = next(o for o in ORGS if o.key == key)
            data = {
                "title": title, "field": fields[field],
                "county": counties.get(spec.county or FIELD_COUNTY[field]),
                "keywords": ",".join(["中试", *fields[field].terms[:3]]), "capabilities": capabilities,
                "equipment": equipment, "capacity": capacity, "fees": fees, **self._contact(spec, rng),
            }
            self._create_published(PilotBasePage, parent, external_id, data, owners[key], orgs[key], rng,
                                   industries=[fields[s] for s in served])

    def _owners(self, orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, User]:
        """Each organization's listings are owned by its demo member, or by the admin if it has none."""
        owners = {key: users["admin"] for key in orgs}
        for membership in Membership.objects.filter(organization__in=orgs.values(), user__in=users.values()):
            key = next(k for k, o in orgs.items() if o.pk == membership.organization_id)
            owners[key] = membership.user
        return owners

    def _contact(self, spec: Org, rng: random.Random) -> dict:
        titles = TITLES_BUSINESS if spec.kind in (ENTERPRISE, OPERATOR) else TITLES_ACADEMIC
        return {
            "contact_name": rng.choice(SURNAMES) + rng.choice(titles),
            "contact_phone": f"0543-{rng.randint(3100000, 8999999)}",
            "contact_email": f"{spec.key}.tt{rng.randint(1, 99)}@{DEMO_DOMAIN}",
        }

    def _achievement_data(self, topic: Topic, spec: Org, rng: random.Random, fields, counties,
                          patents: int) -> dict:
        trl = rng.choice((3, 4, 5, 5, 6, 6, 6, 7, 7, 8, 9))
        modes = rng.sample(list(TransferMode.values), k=rng.choice((1, 2, 2, 3)))
        negotiable = rng.random() < 0.35
        wan = rng.choice((20, 30, 50, 60, 80, 100, 120, 150, 200, 300, 500))
        price = None if negotiable else Decimal(wan) * 10000
        stage = {3: "实验室", 4: "小试", 5: "小试", 6: "中试", 7: "中试", 8: "产业化", 9: "产业化"}[trl]
        field = fields[topic.field]
        application = FIELD_APPLICATION[topic.field]
        mode_text = "、".join(str(dict(TransferMode.choices)[m]).split(" ")[0] for m in modes)
        texts = {"org": spec.name, "field": field.name, "application": application, "stage": stage}
        summary = achievement_summary(topic, **texts, patents=patents, rng=rng)
        detail = achievement_detail(topic, **texts, trl=trl, modes=mode_text, rng=rng)
        county_slug = spec.county or FIELD_COUNTY[topic.field]
        return {
            "title": topic.title, "field": field, "county": counties[county_slug],
            "keywords": ",".join(topic.keywords),
            "summary": summary, "detail": detail, "trl": trl, "transfer_modes": modes, "price": price,
            "price_negotiable": negotiable, **self._contact(spec, rng),
        }

    def _demand_data(self, topic: Topic, spec: Org, rng: random.Random, fields, counties) -> dict:
        low = Decimal(rng.choice((10, 20, 30, 50, 80, 100))) * 10000
        high = low * rng.choice((2, 3, 4, 5))
        need = topic.demand.removesuffix("技术需求").removesuffix("需求")
        county = counties[spec.county]
        description = demand_description(topic, org=spec.name, county=county.name, business=spec.business,
                                         pain=rng.choice(PAINS), need=need, field=fields[topic.field].name,
                                         rng=rng)
        return {
            "title": topic.demand, "field": fields[topic.field], "county": county,
            "keywords": ",".join(topic.keywords), "description": description,
            "budget_min": low, "budget_max": high,
            "deadline": timezone.localdate() + timedelta(days=rng.randint(90, 330)),
            "cooperation_modes": rng.sample(list(TransferMode.values), k=rng.choice((1, 2))),
            **self._contact(spec, rng),
        }

    def _ip_items(self, topic: Topic, rng: random.Random) -> list[AchievementIPItem]:
        return [AchievementIPItem(ip_type=kind, number=number, title=title)
                for kind, number, title in ip_items(topic, rng)]

    def _create_published(self, model: type[ListingPage], parent: Page, external_id: str, data: dict,
                          owner: User, org: Organization, rng: random.Random, ip_items=None,
                          industries=None) -> None:
        if model.objects.filter(external_id=external_id).exists():
            return
        page = model(owner=owner, slug=external_id, external_id=external_id, organization=org, live=False,
                     **data)
        if ip_items is not None:
            page.ip_items.set(ip_items)
        if industries is not None:
            page.industries.set(industries)
        page.validate_before_submit()
        parent.add_child(instance=page)
        # Spread first publication over the past five months so "latest" lists look like a living site.
        published = self.now - timedelta(days=rng.randint(0, 150), minutes=rng.randint(0, 600))
        self._publish(page, owner, published)
        key = {AchievementPage: "achievements", DemandPage: "demands", PilotBasePage: "pilot_bases"}[model]
        self.created[key] += 1

    def load_pending(self, orgs: dict[str, Organization], users: dict[str, User]) -> None:
        fields = {f.slug: f for f in IndustryField.objects.all()}
        for role, model, org_key, external_id, values in PENDING:
            if model.objects.filter(external_id=external_id).exists():
                continue
            org = orgs[org_key]
            spec = next(o for o in ORGS if o.key == org_key)
            data = {**values, "field": fields[values["field"]], "organization": org, "county": org.county,
                    "external_id": external_id, **self._contact(spec, _rng(external_id))}
            create_listing(user=users[role], model=model, data=data)
            self.created["pending"] += 1

    # -- report ---------------------------------------------------------------------------------------------
    def report(self) -> None:
        counts = {
            "organizations": Organization.objects.count(),
            "achievements (live)": AchievementPage.objects.live().count(),
            "demands (live)": DemandPage.objects.live().count(),
            "pilot bases (live)": PilotBasePage.objects.live().count(),
            "news": NewsPage.objects.live().count(),
            "policies": PolicyPage.objects.live().count(),
            "events": EventPage.objects.live().count(),
            "agreements": Agreement.objects.count(),
        }
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 Demo data ready."))
        self.stdout.write("新建 created this run: " + ", ".join(f"{k} {v}" for k, v in self.created.items()))
        self.stdout.write("合计 totals: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write("")
        self.stdout.write(self.style.WARNING("演示账号（仅供本地使用）Demo accounts — FOR LOCAL USE ONLY:"))
        rows = [(str(role), f"{local}@{DEMO_DOMAIN}", password) for role, local, password, *_ in USERS]
        rows.append(("superuser", f"admin@{DEMO_DOMAIN}", ADMIN_PASSWORD))
        kept = {e.lower() for e in getattr(self, "kept", [])}
        for role, email, password in rows:
            if email.split(" ")[0].lower() in kept:
                password += "  （已有账号，未改动）"
            self.stdout.write(f"  {role:<11} {email:<45} {password}")
