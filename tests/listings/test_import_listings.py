"""manage.py import_listings FILE.jsonl [--publish]: every good line imported, every bad line reported with
its number and reason, nothing half-saved, and re-imports update instead of duplicating."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Organization
from accounts.uscc import USCC_ALPHABET, uscc_check_char
from marketplace.listings.importing import RecordParser, parse_money
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from marketplace.listings.selectors import public_listings
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db


def bad_uscc(n: int) -> str:
    first17 = make_uscc(n)[:17]
    return first17 + next(c for c in USCC_ALPHABET if c != uscc_check_char(first17))


def achievement(ext="ach-1", **overrides) -> dict:
    line = {
        "type": "achievement", "external_id": ext, "title": "高强韧铝合金一体化压铸车身结构件制备技术",
        "summary": "免热处理压铸铝合金与一体化压铸工艺，车身减重30%。", "field": "铝基轻量化",
        "keywords": ["铝合金", "一体化压铸"], "county": "邹平市", "maturity": "中试",
        "transfer_modes": ["许可", "合作开发"], "price": 800000,
        "ip_items": [{"type": "发明专利", "number": "ZL202110123456.7", "title": "一种压铸铝合金"}],
        "organization": {"name": "滨州学院", "uscc": make_uscc(910001), "kind": "高校"},
    }
    line.update(overrides)
    return line


def demand(ext="dem-1", **overrides) -> dict:
    line = {
        "type": "demand", "external_id": ext, "title": "铝合金电池托盘轻量化技术需求",
        "description": "电池托盘轻量化设计与搅拌摩擦焊工艺。", "field": "aluminium",
        "keywords": "电池托盘,轻量化",
        "county": "zouping", "budget_min": 300000, "budget_max": "1,000,000", "transfer_modes": "合作开发",
        "organization": {"name": "滨州宏拓轻合金科技有限公司", "uscc": make_uscc(910002),
                         "kind": "enterprise"},
    }
    line.update(overrides)
    return line


def pilot_base(ext="pb-1", **overrides) -> dict:
    line = {
        "type": "pilot_base", "external_id": ext, "title": "邹平轻合金熔铸挤压中试基地",
        "description": "铝合金熔铸、挤压、热处理中试放大。", "field": "Aluminium lightweighting",
        "equipment": ["1800吨挤压机", "真空熔炼炉"], "industries": ["铝基轻量化", "new-materials"],
        "capacity": "年中试50批次", "fees": "按批次收费",
        "organization": {"name": "邹平轻合金中试服务中心", "uscc": make_uscc(910003),
                         "kind": "pilot_base_operator"},
    }
    line.update(overrides)
    return line


def run_import(tmp_path, lines: list, *args: str) -> tuple[str, str, CommandError | None]:
    """lines: dicts (written as JSON) or raw strings (written as they are)."""
    path = tmp_path / "listings.jsonl"
    text = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    path.write_text(text + "\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_listings", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_a_good_file_imports_every_type_as_drafts_submitted_for_moderation(tmp_path):
    out, err, error = run_import(tmp_path, [achievement(), demand(), pilot_base()])

    assert error is None and err == ""
    assert "新建 created: 3" in out
    ach = AchievementPage.objects.get(external_id="ach-1")
    dem = DemandPage.objects.get(external_id="dem-1")
    base = PilotBasePage.objects.get(external_id="pb-1")
    for page in (ach, dem, base):
        assert not page.live and page.workflow_in_progress, "without --publish a listing waits for the bureau"
    ach = ach.get_latest_revision_as_object()
    assert ach.trl == 7 and ach.stage == "pilot"
    assert ach.transfer_modes == ["license", "co_development"]
    assert ach.price == Decimal("800000") and not ach.price_negotiable
    assert ach.keywords == "铝合金,一体化压铸"
    assert ach.county.name == "邹平市" and ach.field.slug == "aluminium"
    assert [(i.ip_type, i.number) for i in ach.ip_items.all()] == [("invention_patent", "ZL202110123456.7")]
    assert ach.organization.kind == "university" and ach.organization.uscc == make_uscc(910001)
    dem = dem.get_latest_revision_as_object()
    assert (dem.budget_min, dem.budget_max) == (Decimal("300000"), Decimal("1000000"))
    assert dem.cooperation_modes == ["co_development"]
    base = base.get_latest_revision_as_object()
    assert base.equipment_list == ["1800吨挤压机", "真空熔炼炉"]
    assert {f.slug for f in base.industries.all()} == {"aluminium", "new-materials"}


def test_publish_makes_the_listings_public_at_once(client, tmp_path):
    out, _err, error = run_import(tmp_path, [achievement(price="面议"), demand(), pilot_base()], "--publish")

    assert error is None and "已发布 published" in out
    ach = public_listings(AchievementPage).get(external_id="ach-1")
    assert ach.price is None and ach.price_negotiable
    assert public_listings(DemandPage).filter(external_id="dem-1").exists()
    assert public_listings(PilotBasePage).filter(external_id="pb-1").exists()
    assert not ach.workflow_in_progress
    assert "高强韧铝合金一体化压铸车身结构件制备技术" in client.get(ach.url).content.decode()


def test_bad_lines_are_reported_with_line_number_and_reason_and_good_lines_still_import(tmp_path):
    lines = [
        achievement("good-1"),
        demand("bad-uscc", organization={"name": "某企业", "uscc": bad_uscc(910010), "kind": "enterprise"}),
        achievement("bad-field", field="火星采矿",
                    organization={"name": "新研究院", "uscc": make_uscc(910011), "kind": "institute"}),
        demand("bad-budget", budget_min=900000, budget_max=100000),
        achievement("bad-price", price="12abc"),
        '{"type": "demand", "external_id": "broken",',
        "",
        pilot_base("good-7"),
    ]

    out, err, error = run_import(tmp_path, lines, "--publish")

    assert error is not None and error.returncode == 1, "any failed line makes the command exit non-zero"
    assert "2, 3, 4, 5, 6" in str(error)
    assert "line 2: organization.uscc: 统一社会信用代码校验位错误" in err
    assert "line 3: field: 未知领域“火星采矿”" in err
    assert "line 4: budget_max: 预算上限不能低于下限" in err
    assert "line 5: price: 金额应为数字" in err and "12abc" in err
    assert "line 6: JSON格式错误" in err
    assert "line 1" not in err and "line 7" not in err and "line 8" not in err
    assert "新建 created: 2" in out
    assert AchievementPage.objects.filter(external_id="good-1", live=True).exists()
    assert PilotBasePage.objects.filter(external_id="good-7", live=True).exists()
    for ext in ("bad-uscc", "bad-field", "bad-budget", "bad-price", "broken"):
        assert not AchievementPage.objects.filter(external_id=ext).exists()
        assert not DemandPage.objects.filter(external_id=ext).exists()
    # Line 4's organization was new and valid, but its listing was not: it must not stay half-saved.
    assert not Organization.objects.filter(uscc=make_uscc(910002)).exists(), "nothing left by a bad line"


def test_one_line_reports_all_of_its_problems(tmp_path):
    line = achievement(maturity=12, transfer_modes=["卖掉"], county="火星县")
    _out, err, error = run_import(tmp_path, [line])
    assert error is not None
    assert "line 1: maturity:" in err and "line 1: transfer_modes:" in err and "line 1: county:" in err


def test_reimporting_updates_the_same_listing_instead_of_duplicating(tmp_path):
    run_import(tmp_path, [achievement(), demand()], "--publish")
    out, _err, error = run_import(tmp_path, [achievement(title="高强韧铝合金车身结构件（第二版）"), demand()],
                                  "--publish")

    assert error is None and "更新 updated: 2" in out and "新建 created: 0" in out
    assert AchievementPage.objects.count() == 1 and DemandPage.objects.count() == 1
    assert AchievementPage.objects.get().title == "高强韧铝合金车身结构件（第二版）"
    assert Organization.objects.filter(uscc=make_uscc(910001)).count() == 1


def test_reimporting_without_publish_leaves_the_live_version_until_approved(tmp_path):
    run_import(tmp_path, [achievement()], "--publish")
    run_import(tmp_path, [achievement(title="修改后的标题")])

    page = AchievementPage.objects.get()
    assert page.live and page.title == "高强韧铝合金一体化压铸车身结构件制备技术"
    assert page.get_latest_revision_as_object().title == "修改后的标题"
    assert page.workflow_in_progress


def test_an_external_id_belongs_to_one_listing_type(tmp_path):
    run_import(tmp_path, [achievement("shared-id")], "--publish")
    _out, err, error = run_import(tmp_path, [demand("shared-id")], "--publish")
    assert error is not None and "line 1: external_id:" in err
    assert not DemandPage.objects.exists()


def test_organizations_are_matched_by_uscc_and_must_be_allowed_to_post(tmp_path):
    same_org = {"name": "另一个名字", "uscc": make_uscc(910001), "kind": "university"}
    _out, err, error = run_import(tmp_path, [
        achievement("a"), achievement("b", organization=same_org), demand("d", organization=same_org),
    ], "--publish")

    assert Organization.objects.filter(uscc=make_uscc(910001)).count() == 1
    assert Organization.objects.get(uscc=make_uscc(910001)).name == "滨州学院"
    assert AchievementPage.objects.count() == 2
    assert error is not None and "line 3: organization.kind:" in err, "universities do not post demands"


@pytest.mark.parametrize(("value", "trl"), [
    (6, 6), ("6", 6), ("TRL 8", 8), ("实验室", 3), ("小试", 5), ("中试", 7), ("产业化", 9), ("pilot", 7)])
def test_maturity_accepts_trl_numbers_and_stage_words(value, trl):
    parser = RecordParser({"maturity": value})
    assert parser.maturity("maturity") == trl and not parser.problems


@pytest.mark.parametrize("value", [0, 10, "成熟", True, "6.5", None])
def test_maturity_rejects_anything_else(value):
    parser = RecordParser({"maturity": value})
    assert parser.maturity("maturity") is None and parser.problems["maturity"]


@pytest.mark.parametrize(("value", "amount"), [
    (800000, Decimal("800000")), (Decimal("1200000.50"), Decimal("1200000.50")),
    ("1,200,000", Decimal("1200000")),
    ("80万", Decimal("800000")), ("5000元", Decimal("5000")), ("12abc", None), ("1e5", None), (True, None),
    (float("nan"), None)])
def test_money_is_read_exactly_and_text_with_letters_is_refused(value, amount):
    assert parse_money(value) == amount


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_progress_bar_counts_the_lines_to_100_percent(tmp_path):
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [achievement(), demand()]) + "\n",
                    encoding="utf-8")
    err = Terminal()
    call_command("import_listings", str(path), "--publish", stdout=StringIO(), stderr=err)
    assert " 50%  1/2" in err.getvalue() and "100%  2/2" in err.getvalue()
    piped = StringIO()
    call_command("import_listings", str(path), "--publish", stdout=StringIO(), stderr=piped)
    assert "%" not in piped.getvalue(), "no bar in a log or a pipe"
