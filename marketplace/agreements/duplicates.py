"""Probable duplicates: the same parties, signing date and amount, and a similar title. Found when an
agreement is created or its terms change; a flagged agreement does not count until the bureau keeps it
(not a duplicate) or merges it into the original."""

import difflib
import re

from .models import Agreement
from .states import Status

# SequenceMatcher ratio of the normalized titles at or above which two titles are "similar". 0.75 lets
# "铝合金电池托盘轻量化技术开发合同" match "铝合金电池托盘轻量化技术开发协议" and keeps unrelated titles apart.
TITLE_SIMILARITY = 0.75
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def _normalized(title: str) -> str:
    return _NOISE.sub("", title or "").lower()


def title_similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _normalized(a), _normalized(b)).ratio()


def probable_original(agreement: Agreement) -> Agreement | None:
    """The earliest other agreement this one probably duplicates, or None. Rejected ones are ignored."""
    parties = set(agreement.party_links.values_list("organization_id", flat=True))
    candidates = (
        Agreement.objects.filter(signed_on=agreement.signed_on, amount=agreement.amount)
        .exclude(pk=agreement.pk)
        .exclude(status=Status.REJECTED)
        .prefetch_related("party_links")
        .order_by("pk")
    )
    for other in candidates:
        if {link.organization_id for link in other.party_links.all()} != parties:
            continue
        if title_similarity(agreement.title, other.title) >= TITLE_SIMILARITY:
            return other
    return None
