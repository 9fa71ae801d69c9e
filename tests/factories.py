"""Small builders for test data. Plain functions: a test reads top to bottom."""

import itertools
from decimal import Decimal

from accounts.models import Membership, Organization, PlatformRole, User
from accounts.uscc import uscc_check_char
from marketplace.taxonomy.models import County, IndustryField

_seq = itertools.count(1)


def make_uscc(n: int | None = None) -> str:
    """A valid USCC: 91 (enterprise, company) + 371600 (Binzhou division) + 9-char org code + check."""
    n = next(_seq) if n is None else n
    first17 = f"91371600{n:09d}"
    return first17 + uscc_check_char(first17)


def make_user(role: str = PlatformRole.ENTERPRISE, email: str | None = None, password: str = "Str0ng-pass!",
              **extra) -> User:
    n = next(_seq)
    email = email or f"user{n}@example.com"
    user = User.objects.create_user(email=email, password=password, role=role, **extra)
    if role == PlatformRole.BUREAU:
        from accounts.roles import make_bureau_staff

        make_bureau_staff(user)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_org(kind: str = "enterprise", name: str | None = None, county: County | None = None,
             members: list[User] = ()) -> Organization:
    n = next(_seq)
    org = Organization.objects.create(name=name or f"测试机构{n}", kind=kind, uscc=make_uscc(n),
                                      county=county or County.objects.first())
    for user in members:
        Membership.objects.create(user=user, organization=org, role=Membership.Role.ADMIN)
    return org


def field(slug: str = "aluminium") -> IndustryField:
    return IndustryField.objects.get(slug=slug)


def county(slug: str = "bincheng") -> County:
    return County.objects.get(slug=slug)


def achievement_data(org: Organization, **overrides) -> dict:
    data = {
        "title": "高强韧铝合金轻量化车身结构件制备技术",
        "organization": org,
        "field": field("aluminium"),
        "county": org.county,
        "keywords": "铝合金,轻量化,车身",
        "summary": "开发高强韧铝合金材料及一体化压铸工艺，实现车身结构件减重30%。",
        "trl": 6,
        "transfer_modes": ["license", "co_development"],
        "price": Decimal("800000.00"),
        "price_negotiable": False,
    }
    data.update(overrides)
    return data


def demand_data(org: Organization, **overrides) -> dict:
    data = {
        "title": "新能源汽车铝合金电池托盘轻量化技术需求",
        "organization": org,
        "field": field("aluminium"),
        "county": org.county,
        "keywords": "铝合金,电池托盘,轻量化",
        "description": "需要铝合金电池托盘的轻量化设计与焊接工艺，减重20%以上。",
        "budget_min": Decimal("300000"),
        "budget_max": Decimal("1000000"),
        "cooperation_modes": ["co_development"],
    }
    data.update(overrides)
    return data


def pilot_base_data(org: Organization, **overrides) -> dict:
    data = {
        "title": "滨州铝基新材料中试基地",
        "organization": org,
        "field": field("aluminium"),
        "county": org.county,
        "keywords": "铝合金,中试,熔铸",
        "capabilities": "铝合金熔铸、挤压、热处理中试放大",
        "equipment": "500吨挤压机\n真空熔炼炉",
        "capacity": "年中试能力50批次",
        "fees": "按批次收费，面议",
    }
    data.update(overrides)
    return data
