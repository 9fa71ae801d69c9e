"""Segmentation: taxonomy words stay whole, so index and queries agree on them."""

import pytest

from marketplace.taxonomy.models import IndustryField
from search import tokenizing
from search.tokenizing import highlight_html

pytestmark = pytest.mark.django_db


def test_domain_terms_and_county_names_stay_whole():
    assert "先进铝基材料" in tokenizing.segment("我们提供先进铝基材料的熔铸服务")
    assert "滨城区" in tokenizing.segment("企业位于滨城区")
    assert "北海经济开发区" in tokenizing.segment("北海经济开发区海水淡化项目")
    assert tokenizing.segment("铝合金轻量化") == ["铝合金", "轻量化"]


def test_a_new_taxonomy_term_is_used_after_it_is_saved():
    assert "镁铝尖晶石" not in tokenizing.segment("镁铝尖晶石透明陶瓷")
    field = IndustryField.objects.get(slug="new-materials")
    field.domain_terms = field.domain_terms + ",镁铝尖晶石"
    field.save()
    try:
        assert "镁铝尖晶石" in tokenizing.segment("镁铝尖晶石透明陶瓷")
    finally:
        tokenizing.reset()  # the taxonomy change is rolled back with the test


def test_query_tokens_drop_punctuation_stopwords_and_are_bounded():
    assert tokenizing.query_tokens("铝合金、轻量化的 技术!!") == ["铝合金", "轻量化", "技术"]
    assert tokenizing.query_tokens('"(AND) OR ~ * : /') == []
    assert tokenizing.query_tokens("title:(PLC) AND 控制器~") == ["title", "plc", "控制器"]
    assert tokenizing.query_tokens("") == []
    assert tokenizing.query_tokens("钢") == ["钢"], "a one-character query still searches"
    assert len(tokenizing.query_tokens("铝合金轻量化车身电池托盘" * 200 + "".join(f"词{n}" for n in range(200)))) <= 64


def test_subwords_find_words_inside_domain_terms():
    assert "合金" in tokenizing.subwords("高强韧铝合金")


def test_highlights_are_escaped_and_read_naturally():
    fragment = f"高强 韧 {tokenizing.HL_START}铝合金{tokenizing.HL_END} <script> AI based 控制"
    html = highlight_html(fragment)
    assert html == "高强韧<mark>铝合金</mark>&lt;script&gt;AI based控制"
