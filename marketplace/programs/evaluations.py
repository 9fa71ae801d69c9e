"""Reads for 科技成果评价, and what it adds to the public results list (through listings.extensions, since
listings sits below this app): a badge with the best level, a filter "at least this level", and a sort that
puts better-evaluated results first."""

from django.db.models import F, Min, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.listings.extensions import (
    ListFilter,
    ListOrdering,
    register_badge_loader,
    register_badges,
    register_filter,
    register_ordering,
)
from marketplace.listings.models import AchievementPage

from .models import EvaluationLevel, EvaluationReport


def evaluations_of(achievement: AchievementPage) -> QuerySet:
    return EvaluationReport.objects.filter(achievement=achievement)


def evaluation_by_id(pk: int) -> EvaluationReport | None:
    return EvaluationReport.objects.select_related("achievement").filter(pk=pk).first()


def recent_evaluations(limit: int = 50) -> QuerySet:
    return EvaluationReport.objects.select_related("achievement").order_by("-created_at", "-pk")[:limit]


def best_level(achievement: AchievementPage) -> int | None:
    return evaluations_of(achievement).aggregate(best=Min("level"))["best"]


def _load_best_levels(pages: list) -> None:
    """Every listed result's best level in one query, kept on the page for _badges."""
    results = [page for page in pages if isinstance(page, AchievementPage)]
    if not results:
        return
    best = dict(EvaluationReport.objects.filter(achievement_id__in=[page.pk for page in results])
                .values("achievement_id").annotate(best=Min("level")).values_list("achievement_id", "best"))
    for page in results:
        page._best_evaluation_level = best.get(page.pk)


def _badges(page) -> list[str]:
    if not isinstance(page, AchievementPage):
        return []
    level = page.__dict__["_best_evaluation_level"] if "_best_evaluation_level" in page.__dict__ \
        else best_level(page)
    return [_("成果评价：%(level)s") % {"level": EvaluationLevel(level).label}] if level else []


def _options() -> list[tuple[str, str]]:
    """Each level means "this level or better"; the best one has nothing better."""
    return [(str(level.value), str(level.label) if level.value == 1 else _("%(level)s及以上") % {"level": level.label})
            for level in EvaluationLevel]


def _at_least(qs: QuerySet, value: str) -> QuerySet:
    ids = EvaluationReport.objects.filter(level__lte=int(value)).values("achievement_id")
    return qs.filter(pk__in=ids)


def _best_first(qs: QuerySet) -> QuerySet:
    """Ranked by the best level; results without an evaluation after every evaluated one, newest first."""
    return qs.annotate(best_level=Min("evaluations__level")).order_by(
        F("best_level").asc(nulls_last=True), "-first_published_at", "-pk")


def register() -> None:
    register_badges(_badges)
    register_badge_loader(_load_best_levels)
    register_filter(ListFilter("evaluation", gettext_lazy("成果评价"), (AchievementPage,), _options, _at_least))
    register_ordering(ListOrdering("evaluation", gettext_lazy("评价等级优先"), (AchievementPage,), _best_first))
