"""The matching thesaurus: seeded data, CSV import/export, and how expansion reads a text."""

import io

import pytest
from django.core.management import CommandError, call_command

from marketplace.taxonomy.models import IndustryField
from search import thesaurus, tokenizing
from search.models import ThesaurusEntry


@pytest.fixture
def pure():
    """Expansion over hand-written entries, no database; restored afterwards. The segmenter gets an empty domain
    dictionary too: left unconfigured (after another test edited the taxonomy) it would read the database."""
    tokenizing.configure(words=[])
    yield thesaurus.configure
    thesaurus.reset()
    tokenizing.reset()


# ---- expansion rules (pure) -------------------------------------------------------------------


def _pairs(expansions):
    return {(e.source, e.target): e.weight for e in expansions}


def test_a_phrase_jieba_splits_is_still_recognised_and_expands_both_ways(pure):
    pure([("跑冒滴漏", ["泄漏"], 0.9, "")], general=False)
    assert _pairs(thesaurus.expand("罐区跑冒滴漏发现不及时", ["罐区", "跑冒滴漏"])) == {("跑冒滴漏", "泄漏"): 0.9}
    # The technical side finds the problem word too (an achievement looking for demands).
    assert _pairs(thesaurus.expand("储罐泄漏监测", ["储罐", "泄漏", "监测"])) == {("泄漏", "跑冒滴漏"): 0.9}


def test_a_field_scoped_entry_counts_half_for_another_field(pure):
    pure([("减重", ["轻量化"], 0.8, "aluminium")], general=False)
    assert _pairs(thesaurus.expand("车身减重", ["车身", "减重"], field="aluminium")) == {("减重", "轻量化"): 0.8}
    assert _pairs(thesaurus.expand("车身减重", ["车身", "减重"], field="textiles")) == {("减重", "轻量化"): 0.4}


def test_terms_the_text_already_has_are_not_expansions(pure):
    pure([("减重", ["轻量化"], 0.8, "")], general=False)
    assert thesaurus.expand("减重与轻量化", ["减重", "轻量化"]) == []


def test_english_terms_match_whole_words_only(pure):
    pure([("ai", ["人工智能"], 0.9, ""), ("cold chain", ["冷链"], 1.0, "")], general=False)
    assert _pairs(thesaurus.expand("Cold chain for AI", ["cold", "chain", "for", "ai"])) == {
        ("cold chain", "冷链"): 1.0,
        ("ai", "人工智能"): 0.9,
    }
    assert thesaurus.expand("a supply chain", ["supply", "chain"]) == [], "'ai' inside 'chain' is no match"


def test_a_single_chinese_character_must_be_a_whole_token(pure):
    pure([("裂", ["裂果"], 0.7, "")], general=False)
    assert thesaurus.expand("轮胎热裂解", ["轮胎", "热", "裂解"]) == []
    assert _pairs(thesaurus.expand("一下雨就裂", ["下雨", "裂"])) == {("裂", "裂果"): 0.7}


def test_general_synonyms_come_from_cilin_at_low_weight(pure):
    pure([], general=True)
    pairs = _pairs(thesaurus.expand("老人摔倒", ["老人", "摔倒"]))
    assert pairs[("摔倒", "跌倒")] == thesaurus.CILIN_WEIGHT


# ---- data and CSV (database) ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_covers_every_industry_field_with_at_least_400_entries():
    assert ThesaurusEntry.objects.count() >= 400
    covered = set(ThesaurusEntry.objects.exclude(field=None).values_list("field__slug", flat=True))
    assert covered == set(IndustryField.objects.values_list("slug", flat=True))
    entry = ThesaurusEntry.objects.get(term="减重", field__slug="aluminium")
    assert "轻量化" in entry.synonym_list()


@pytest.mark.django_db
def test_csv_export_then_import_round_trips(tmp_path):
    path = tmp_path / "thesaurus.csv"
    call_command("thesaurus", "export", str(path))
    before = ThesaurusEntry.objects.count()
    ThesaurusEntry.objects.filter(term="减重").update(synonyms="别的")
    out = io.StringIO()
    call_command("thesaurus", "import", str(path), stdout=out)
    assert out.getvalue().strip() == f"新建 0 条，更新 {before} 条"
    assert ThesaurusEntry.objects.get(term="减重", field__slug="aluminium").synonyms == "轻量化|减轻重量|降重"


@pytest.mark.django_db
def test_the_export_is_formula_safe_and_its_import_reads_the_text_back(tmp_path):
    """A term a spreadsheet would run as a formula is exported as text ('=...) and imported unchanged."""
    ThesaurusEntry.objects.create(term="=减重", synonyms="-轻量化|+降重", weight="0.70", field=None)
    path = tmp_path / "thesaurus.csv"
    call_command("thesaurus", "export", str(path))
    assert "'=减重,'-轻量化|+降重,0.70" in path.read_text(encoding="utf-8")
    ThesaurusEntry.objects.filter(term="=减重").delete()
    call_command("thesaurus", "import", str(path), stdout=io.StringIO())
    assert ThesaurusEntry.objects.get(term="=减重").synonyms == "-轻量化|+降重"


@pytest.mark.django_db
def test_an_edit_takes_effect_on_the_next_expansion(django_capture_on_commit_callbacks):
    thesaurus.reset()
    assert ("返碱", "新说法") not in _pairs(thesaurus.expand("返碱严重", ["返碱"]))
    with django_capture_on_commit_callbacks(execute=True):
        thesaurus.import_csv("field,term,synonyms,weight\nmarine,返碱,新说法,0.9\n")
    assert _pairs(thesaurus.expand("返碱严重", ["返碱"], field="marine"))[("返碱", "新说法")] == 0.9


@pytest.mark.django_db
def test_a_bad_csv_reports_every_line_and_imports_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "field,term,synonyms,weight\n"
        "aluminium,新词甲,轻量化,0.8\n"
        "nowhere,新词乙,泄漏,0.8\n"
        ",新词丙,,0.8\n"
        ",新词丁,泄漏,7\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 行有误"):
        call_command("thesaurus", "import", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "第3行：未知领域“nowhere”",
        "第4行：对应术语为空",
        "第5行：权重须在 0.05–1.00 之间",
    ]
    assert not ThesaurusEntry.objects.filter(term="新词甲").exists(), "all or nothing"


@pytest.mark.django_db
def test_an_entry_must_not_repeat_a_term_within_its_field():
    from django.core.exceptions import ValidationError

    field = IndustryField.objects.get(slug="aluminium")
    with pytest.raises(ValidationError) as exc:
        ThesaurusEntry(term="减重", synonyms="降重", field=field).full_clean()
    assert "term" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        ThesaurusEntry(term="新词", synonyms="新词", field=field).full_clean()
    assert "synonyms" in exc.value.message_dict


@pytest.mark.django_db
def test_bureau_staff_edit_the_thesaurus_in_the_admin(client, bureau_user):
    client.force_login(bureau_user)
    listing = client.get("/admin/snippets/search/thesaurusentry/")
    assert listing.status_code == 200
    field = IndustryField.objects.get(slug="marine")
    response = client.post(
        "/admin/snippets/search/thesaurusentry/add/",
        {"term": "盐斑", "synonyms": "盐碱|返盐", "weight": "0.80", "field": field.pk, "active": "on"},
    )
    assert response.status_code == 302
    assert ThesaurusEntry.objects.get(term="盐斑").synonym_list() == ["盐碱", "返盐"]
