"""Chinese segmentation for search, done once in Python so every backend ranks the same tokens.

jieba (precise mode) plus a domain dictionary built from the taxonomy: IndustryField names and their
domain terms, County names. Indexed text is the space-joined token string; the backends split it on
whitespace only (tantivy ``whitespace`` tokenizer, Elasticsearch ``whitespace`` tokenizer).

Three views of a text:
- ``segment(text)``: every token, lower-cased, punctuation kept (so a highlighted fragment reads back
  naturally after ``desegment``); this is what the title/body fields hold.
- ``subwords(text)``: the extra, shorter words jieba's search mode finds inside long words
  (铝合金 → 合金), indexed in a low-boost field so a query for 合金 still finds 铝合金.
- ``query_tokens(text)``: the meaningful tokens of a query (no punctuation, no function words).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path

import jieba
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

jieba.setLogLevel(logging.WARNING)

# A domain word must outrank jieba's own split of it; jieba's built-in frequencies top out near 10^6.
DOMAIN_WORD_FREQ = 200_000
MAX_QUERY_TOKENS = 64

# Function words and fillers that carry no meaning for retrieval.
STOPWORDS = frozenset(
    """的 了 和 与 及 或 等 在 是 为 对 将 把 被 从 以 于 并 其 该 之 中 上 下 也 而 且 就 都 个 一 一种 一个
    我们 我司 公司 本 贵 需要 需求 希望 寻求 进行 实现 相关 具有 可以 能够 通过 用于 以上 以下 主要 方面 问题
    我 你 他 她 它 这 那 有 无 不 没有 the a an of and or to for in on with by is are""".split()
)
# Words too generic to be a convincing "shared term" reason, though they may still rank.
GENERIC_TERMS = frozenset(
    """技术 研究 开发 研发 应用 项目 产品 方法 工艺 系统 装置 设备 材料 提高 提升 降低 合作 服务 生产
    制备 设计 新型 高效 企业 产业 产业化 成果 转化 平台 基于 及其 关键 工程 推广 示范 一体化
    达到 满足 要求 具备 提供 采用 解决 形成 包括 以及 能力 性能 质量 效率 成本 国内 国际 领先 水平 行业
    市场 目前 现有 问题 显著 有效 良好 较高 使用 利用 开展 完成 建立 拥有 结合 支持 实际 方案 过程""".split()
)

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_NUMBER = re.compile(r"^[\d.,%％]+$")  # 30%, 2.5: a figure alone is no common ground
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_domain_words: frozenset[str] = frozenset()


def taxonomy_words() -> list[str]:
    """Domain dictionary from the database: field names and terms, county names."""
    from marketplace.taxonomy.models import County, IndustryField

    words: list[str] = []
    for field in IndustryField.objects.all():
        words.append(field.name)
        words.extend(field.terms)
    words.extend(County.objects.values_list("name", flat=True))
    return words


def configure(words: Iterable[str] | None = None) -> None:
    """(Re)build the segmenter with a domain dictionary (default: from the taxonomy tables).

    Index and queries must use the same dictionary: after changing the taxonomy, run search_reindex."""
    global _tokenizer, _domain_words
    words = list(taxonomy_words() if words is None else words)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        word = word.strip()
        if word:
            tokenizer.add_word(word, freq=DOMAIN_WORD_FREQ)
    with _lock:
        _tokenizer = tokenizer
        _domain_words = frozenset(w.strip().lower() for w in words if w.strip())


def reset() -> None:
    """Forget the dictionary; the next call rebuilds it (after a taxonomy edit)."""
    global _tokenizer
    with _lock:
        _tokenizer = None


def _get_tokenizer() -> jieba.Tokenizer:
    if _tokenizer is None:
        configure()
    assert _tokenizer is not None
    return _tokenizer


def domain_words() -> frozenset[str]:
    _get_tokenizer()
    return _domain_words


def _clean(tokens: Iterable[str]) -> list[str]:
    return [t.lower() for t in (tok.strip() for tok in tokens) if t]


def segment(text: str) -> list[str]:
    """All tokens of ``text`` in order, lower-cased; whitespace dropped, punctuation kept."""
    if not text:
        return []
    return _clean(_get_tokenizer().lcut(text))


def segmented(text: str) -> str:
    """The string a backend indexes: tokens joined by single spaces."""
    return " ".join(segment(text))


def subwords(text: str) -> list[str]:
    """Shorter dictionary words inside long ones, minus the precise tokens themselves."""
    return subwords_of(segment(text))


def subwords_of(tokens: Iterable[str]) -> list[str]:
    """jieba's search mode without segmenting again: the 2- and 3-character dictionary words inside
    each token longer than two characters (铝合金 → 合金)."""
    tokens = list(tokens)
    freq = _get_tokenizer().FREQ
    precise = set(tokens)
    extra: dict[str, None] = {}
    for word in tokens:
        for size in (2, 3):
            if len(word) > size:
                for i in range(len(word) - size + 1):
                    gram = word[i : i + size]
                    if freq.get(gram) and gram not in precise and is_meaningful(gram):
                        extra.setdefault(gram, None)
    return list(extra)


def is_meaningful(token: str) -> bool:
    """A token worth querying: not punctuation, not a function word, not a lone CJK character."""
    if not token or _PUNCT.match(token) or token in STOPWORDS:
        return False
    if len(token) == 1 and _CJK.match(token):
        return False
    return True


def query_tokens(text: str, limit: int = MAX_QUERY_TOKENS) -> list[str]:
    """Distinct meaningful tokens of a query, in first-seen order, at most ``limit``.

    A query made only of single characters (e.g. "钢") keeps them, so it still searches."""
    tokens = segment(text or "")
    seen: dict[str, None] = {}
    for token in tokens:
        if is_meaningful(token):
            seen.setdefault(token, None)
    if not seen:
        for token in tokens:
            if not _PUNCT.match(token) and token not in STOPWORDS:
                seen.setdefault(token, None)
    return list(seen)[:limit]


def is_reason_term(token: str) -> bool:
    """Whether a token may take part in matching at all: meaningful, not generic, not a figure."""
    return is_meaningful(token) and token not in GENERIC_TERMS and not _NUMBER.match(token)


# ---- specificity: corpus IDF (jieba's general-corpus table, shipped with jieba) + a curated stop list ----

REASON_STOPLIST_FILE = Path(__file__).resolve().parent / "data" / "reason_stoplist.txt"
SPECIFIC_MIN_IDF = 6.5  # below this a word is common Chinese (时间 4.1, 重点 5.3, 技术 4.7, 及时 6.0)
_idf: dict[str, float] | None = None
_idf_max = 12.0
_stoplist: frozenset[str] | None = None


def _idf_table() -> dict[str, float]:
    global _idf, _idf_max
    if _idf is None:
        from jieba.analyse.tfidf import DEFAULT_IDF, IDFLoader

        loader = IDFLoader(DEFAULT_IDF)
        _idf, _idf_max = loader.idf_freq, max(loader.median_idf, 1.0) + 1.0
    return _idf


def idf(token: str) -> float:
    """General-corpus IDF; a word the table lacks (a domain term, an English word) counts as rare."""
    return _idf_table().get(token, _idf_max)


def reason_stoplist() -> frozenset[str]:
    """Curated fillers (search/data/reason_stoplist.txt) plus every county name and place word."""
    global _stoplist
    if _stoplist is None:
        words: set[str] = set()
        for line in REASON_STOPLIST_FILE.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                words.update(line.split())
        try:
            from marketplace.taxonomy.models import County

            for name in County.objects.values_list("name", flat=True):
                words.add(name.lower())
                words.add(re.sub(r"(区|县|市)$", "", name).lower())
        except Exception:  # noqa: BLE001 - no database (pure unit tests): the file alone still applies
            pass
        _stoplist = frozenset(words)
    return _stoplist


def is_specific(token: str) -> bool:
    """Whether a shared token may be shown as a reason: matching-worthy, not a stop word, and rare enough
    in general Chinese that sharing it says something."""
    return is_reason_term(token) and token not in reason_stoplist() and idf(token) >= SPECIFIC_MIN_IDF


def token_weight(token: str) -> float:
    """A query token's weight from its specificity: 1.0 for rare words down to 0.15 for common ones."""
    if token in reason_stoplist():
        return 0.0
    return max(0.15, min(1.0, (idf(token) - 4.0) / 6.0))


def split_keywords(keywords: str) -> list[str]:
    """An owner's keyword list ("铝合金，轻量化 车身") as lower-cased items."""
    parts = re.split(r"[,，、;；\s]+", keywords or "")
    return [p.strip().lower() for p in parts if p.strip()]


HL_START, HL_END = "\x01", "\x02"  # highlight markers the backends put around matched tokens


def desegment(text: str) -> str:
    """Undo the joining spaces for display: keep a space only between two Latin/digit characters.

    Highlight markers are ignored when looking at a space's neighbours."""
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch != " ":
            out.append(ch)
            continue
        j = i - 1
        while j >= 0 and text[j] in (HL_START, HL_END):
            j -= 1
        k = i + 1
        while k < n and text[k] in (HL_START, HL_END):
            k += 1
        if 0 <= j and k < n and text[j].isascii() and text[j].isalnum() and text[k].isascii() and text[k].isalnum():
            out.append(ch)
    return "".join(out)


def highlight_html(fragment: str) -> SafeString:
    """A backend fragment (segmented, with highlight markers) as safe HTML with <mark> around hits.

    Everything else is escaped, so listing text can never inject markup."""
    text = escape(desegment(fragment or ""))
    return mark_safe(text.replace(HL_START, "<mark>").replace(HL_END, "</mark>"))  # noqa: S308 - escaped above
