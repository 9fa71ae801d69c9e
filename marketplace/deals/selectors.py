"""Reads for deals: the workbench board, a deal's history, and match suggestions."""

import logging
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import is_bureau
from marketplace.listings.models import AchievementPage, DemandPage
from search.matching import match_demand

from . import stages
from .models import Deal

logger = logging.getLogger(__name__)


def deals_for(user: User) -> QuerySet:
    """Bureau staff see every deal; an agent sees the deals they lead or help with."""
    qs = Deal.objects.select_related("enterprise", "academic", "demand", "achievement", "pilot_base", "agent")
    if is_bureau(user):
        return qs
    return qs.filter(Q(agent=user) | Q(collaborators=user)).distinct()


def deal_for(user: User, pk: int) -> Deal | None:
    return deals_for(user).filter(pk=pk).first()


@dataclass
class Column:
    stage: str
    label: str
    deals: list[Deal]


def board(user: User) -> list[Column]:
    """The workbench: one column per stage, in pipeline order, lost last."""
    by_stage: dict[str, list[Deal]] = {s: [] for s in [*stages.PIPELINE, stages.Stage.LOST]}
    for deal in deals_for(user).order_by("-updated_at", "-pk"):
        by_stage.setdefault(deal.stage, []).append(deal)
    return [Column(stage, stages.MACHINE.label(stage), deals) for stage, deals in by_stage.items()]


def history(deal: Deal) -> QuerySet:
    return deal.transitions.select_related("by").order_by("at", "pk")


def live_achievement(page_id: int) -> AchievementPage | None:
    return AchievementPage.objects.live().filter(pk=page_id).first()


def live_demand(page_id: int) -> DemandPage | None:
    return DemandPage.objects.live().filter(pk=page_id).first()


def suggested_matches(deal: Deal, top: int = 5) -> list | None:
    """Results worth proposing for a deal that has only a demand. None means matching is unavailable
    (the search backend is down), as opposed to [] for "nothing matches"."""
    if not deal.has_only_demand:
        return []
    try:
        return list(match_demand(deal.demand, top=top))
    except Exception:  # the search backend being down must not take the workbench down with it
        logger.exception("match_demand failed for deal %s", deal.pk)
        return None


def find_match(demand, achievement_id: int, top: int = 50):
    """The engine's Match for this demand/result pair, if the result is among its top answers."""
    try:
        matches = match_demand(demand, top=top)
    except Exception:
        logger.exception("match_demand failed for demand %s", demand.pk)
        return None
    return next((m for m in matches if m.page.pk == achievement_id), None)
