"""The agent's workbench and a deal's page. Thin: rules in services/stages, reads in selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core.forms import add_validation_errors
from marketplace.core.one_time import DuplicateSubmission, answer_duplicate

from . import selectors, services, stages
from .forms import DealEditForm, DealForm, move_form_class
from .stages import TransitionRefused


def _require_agent_or_bureau(user) -> None:
    from accounts.permissions import is_bureau

    if not (services.can_open_deals(user) or is_bureau(user)):
        raise PermissionDenied(_("商机工作台仅对技术经纪人开放。"))


def _deal_or_404(request, pk: int):
    deal = selectors.deal_for(request.user, pk)
    if deal is None:
        raise Http404
    return deal


@login_required
def workbench(request):
    _require_agent_or_bureau(request.user)
    columns = selectors.board(request.user)
    for column in columns:
        for deal in column.deals:
            # None (matching unavailable) and [] (nothing matches) read differently on the card.
            deal.suggestions = selectors.suggested_matches(deal, top=3) if deal.has_only_demand else []
    return render(
        request,
        "deals/workbench.html",
        {
            "columns": columns,
            "can_open": services.can_open_deals(request.user),
        },
    )


@login_required
def deal_new(request):
    """By hand, or from a demand (?demand=ID), a match (?demand=ID&achievement=ID) or a conversation
    (?enterprise=ID&academic=ID&pilot_base=ID&title=...)."""
    if not services.can_open_deals(request.user):
        raise PermissionDenied(_("只有技术经纪人可以创建商机。"))
    initial = {
        key: request.GET[key]
        for key in ("demand", "achievement", "enterprise", "academic", "pilot_base", "conversation")
        if request.GET.get(key, "").isdigit()
    }
    if request.GET.get("title"):  # e.g. from an inquiry's conversation (发起商机)
        initial["title"] = request.GET["title"][:200]
    form = DealForm(request.POST or None, initial=initial, agent=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        demand, achievement = data.get("demand"), data.get("achievement")
        match = None
        if demand is not None and achievement is not None:
            found = selectors.find_match(demand, achievement.pk)
            match = services.MatchInfo.from_match(found) if found is not None else None
        try:
            deal = services.open_deal(
                agent=request.user,
                title=data.get("title") or "",
                enterprise=data.get("enterprise"),
                academic=data.get("academic"),
                pilot_base=data.get("pilot_base"),
                demand=demand,
                achievement=achievement,
                match=match,
                notes=data.get("notes") or "",
                commission=data.get("commission"),
                collaborators=list(data.get("collaborators") or []),
                submission_token=form.submission_key(request.path),
                conversation=data.get("conversation"),
            )
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, lambda deal: reverse("deals:detail", kwargs={"pk": deal.pk}))
            if answer is not None:
                return answer
            form.add_error(None, error)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("商机已创建。"))
            return redirect("deals:detail", pk=deal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "deals/deal_form.html", {"form": form}, status=status)


def _move_forms(deal, bound=None) -> list[dict]:
    forms = []
    if not deal.is_finished:
        for target in stages.MACHINE.targets(deal.stage):
            form_class = move_form_class(target)
            if bound is not None and bound.prefix == target:
                form = bound
            else:
                form = form_class(deal=deal, to_stage=target, prefix=target)
            forms.append(
                {
                    "stage": target,
                    "label": stages.MACHINE.label(target),
                    "form": form,
                    "is_loss": target == stages.Stage.LOST,
                }
            )
    return forms


def _detail_context(request, deal, bound=None) -> dict:
    return {
        "deal": deal,
        "history": selectors.history(deal),
        "move_forms": _move_forms(deal, bound),
        "agreement": getattr(deal, "agreement", None),
        "suggestions": selectors.suggested_matches(deal, top=10) if deal.has_only_demand else [],
        "can_work": services.can_work_on(request.user, deal),
        "pipeline": [{"stage": s, "label": stages.MACHINE.label(s)} for s in stages.PIPELINE],
    }


@login_required
def deal_detail(request, pk: int):
    deal = _deal_or_404(request, pk)
    return render(request, "deals/deal_detail.html", _detail_context(request, deal))


@login_required
@require_POST
def deal_move(request, pk: int):
    deal = _deal_or_404(request, pk)
    to_stage = request.POST.get("to_stage_target", "")
    if to_stage not in stages.Stage.values:
        messages.error(request, _("未知的目标阶段。"))
        return render(request, "deals/deal_detail.html", _detail_context(request, deal), status=400)
    form = move_form_class(to_stage)(request.POST, prefix=to_stage)
    if form.is_valid():
        try:
            services.move_deal(deal_id=deal.pk, user=request.user, **form.move_kwargs())
        except services.StaleDeal as error:
            messages.error(request, " ".join(error.messages))
            deal = _deal_or_404(request, pk)
            return render(request, "deals/deal_detail.html", _detail_context(request, deal), status=409)
        except TransitionRefused as error:
            # The refused target may not be among the forms shown, so the reason goes to the page.
            messages.error(request, " ".join(error.messages))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("商机已进入“%(stage)s”阶段。") % {"stage": stages.MACHINE.label(to_stage)})
            return redirect("deals:detail", pk=deal.pk)
    return render(request, "deals/deal_detail.html", _detail_context(request, deal, bound=form), status=400)


@login_required
def deal_edit(request, pk: int):
    deal = _deal_or_404(request, pk)
    if not services.can_work_on(request.user, deal):
        raise PermissionDenied(_("您不是该商机的经纪人。"))
    form = DealEditForm(request.POST or None, instance=deal)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_deal(
                user=request.user,
                deal=deal,
                data={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("商机已更新。"))
            return redirect("deals:detail", pk=deal.pk)
    return render(
        request,
        "deals/deal_edit.html",
        {"form": form, "deal": deal},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def deal_adopt(request, pk: int, achievement_id: int):
    """Take a suggested result for a demand-only deal; the engine's reasons come with it."""
    deal = _deal_or_404(request, pk)
    achievement = selectors.live_achievement(achievement_id)
    if achievement is None:
        raise Http404
    found = selectors.find_match(deal.demand, achievement.pk) if deal.demand_id else None
    try:
        services.adopt_match(
            user=request.user,
            deal=deal,
            achievement=achievement,
            match=services.MatchInfo.from_match(found) if found is not None else None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已关联该科技成果。"))
    return redirect("deals:detail", pk=deal.pk)


@login_required
def deal_from_demand(request, demand_id: int):
    """A link other pages (a demand's page, its match list) can point agents to."""
    if selectors.live_demand(demand_id) is None:
        raise Http404
    return redirect(f"{reverse('deals:new')}?demand={demand_id}")
