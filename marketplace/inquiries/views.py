"""Inquiry inbox, sending, answering, and the conversation page. Thin: rules in services/selectors.

Anyone who is not concerned gets 404, so the existence of a private conversation is not revealed;
bureau staff see existence and outcomes on the overview page only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import PlatformRole
from accounts.permissions import organization_ids_for
from accounts.private_files import private_file_response
from marketplace.core.forms import add_validation_errors

from . import selectors, services
from .forms import AgentForm, CloseForm, DeclineForm, InquiryForm, MessageForm, ReportForm, SuspendForm
from .models import Conversation, Inquiry, Message, Suspension


@login_required
def inbox(request):
    orgs = organization_ids_for(request.user)
    return render(request, "inquiries/inbox.html", {
        "rows": selectors.inbox(request.user),
        "response": selectors.response_time(orgs) if orgs else None})


@login_required
def send(request, page_id: int):
    listing = selectors.inquirable_listing(page_id)
    if listing is None:
        raise Http404
    if not selectors.can_inquire(request.user, listing):
        raise PermissionDenied(_("只有已认证机构的成员才能发送咨询。"))
    form = InquiryForm(request.POST or None, request.FILES or None, user=request.user, listing=listing)
    if request.method == "POST":
        token = request.POST.get("form_token")
        if selectors.already_submitted(token, request.user):
            messages.info(request, _("这条咨询已发送过，请勿重复提交。"))
            return redirect("inquiries:inbox")
        if form.is_valid():
            data = form.cleaned_data
            try:
                inquiry = services.send_inquiry(user=request.user, listing=listing, sender_org=data["sender_org"],
                                                need=data["need"], message=data["message"],
                                                submission_token=data["form_token"],
                                                attachment=data.get("attachment"))
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("咨询已发送，对方答复后您会收到通知。"))
                return redirect("inquiries:detail", pk=inquiry.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inquiries/send.html", {"form": form, "listing": listing}, status=status)


def _inquiry_for(request, pk: int) -> tuple[Inquiry, str]:
    inquiry = selectors.inquiry_by_id(pk)
    if inquiry is None:
        raise Http404
    role = selectors.role_in_inquiry(request.user, inquiry)
    if role is None:
        raise Http404
    return inquiry, role


def _detail(request, inquiry, role, *, decline_form=None, agent_form=None, status=200):
    return render(request, "inquiries/detail.html", {
        "inquiry": inquiry, "role": role,
        "conversation": selectors.conversation_of(inquiry),
        "can_answer": selectors.can_answer(request.user, inquiry),
        "can_refer": role == "recipient" and selectors.can_answer(request.user, inquiry),
        "decline_form": decline_form or DeclineForm(), "agent_form": agent_form or AgentForm(),
    }, status=status)


@login_required
def detail(request, pk: int):
    inquiry, role = _inquiry_for(request, pk)
    return _detail(request, inquiry, role)


def _answer(request, pk: int, action):
    inquiry, role = _inquiry_for(request, pk)
    if not selectors.can_answer(request.user, inquiry):
        raise PermissionDenied(_("您无权答复这条咨询。"))
    try:
        return action(inquiry, role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inquiries:detail", pk=pk)


@login_required
@require_POST
def accept(request, pk: int):
    def act(inquiry, role):
        conversation = services.accept_inquiry(user=request.user, inquiry=inquiry)
        messages.success(request, _("已接受咨询，洽谈已开始。"))
        return redirect("inquiries:conversation", pk=conversation.pk)

    return _answer(request, pk, act)


@login_required
@require_POST
def decline(request, pk: int):
    def act(inquiry, role):
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return _detail(request, inquiry, role, decline_form=form, status=400)
        services.decline_inquiry(user=request.user, inquiry=inquiry, reason=form.cleaned_data["reason"])
        messages.success(request, _("已婉拒该咨询。"))
        return redirect("inquiries:detail", pk=pk)

    return _answer(request, pk, act)


@login_required
@require_POST
def refer(request, pk: int):
    def act(inquiry, role):
        if role != "recipient":
            raise PermissionDenied(_("只有发布机构可以转交咨询。"))
        form = AgentForm(request.POST)
        if not form.is_valid():
            return _detail(request, inquiry, role, agent_form=form, status=400)
        services.refer_inquiry(user=request.user, inquiry=inquiry, agent=form.cleaned_data["agent"])
        messages.success(request, _("已转交技术经纪人。"))
        return redirect("inquiries:detail", pk=pk)

    return _answer(request, pk, act)


def _conversation_for(request, pk: int) -> Conversation:
    conversation = selectors.conversation_by_id(pk)
    if conversation is None or not selectors.is_participant(request.user, conversation):
        raise Http404
    return conversation


def _reported_for_bureau(request, pk: int) -> Conversation | None:
    conversation = selectors.conversation_by_id(pk)
    if conversation is None or not selectors.bureau_may_read(request.user, conversation):
        return None
    return conversation


def _conversation_page(request, conversation, *, message_form=None, agent_form=None, close_form=None,
                       status=200, bureau_reader=False):
    return render(request, "inquiries/conversation.html", {
        "bureau_reader": bureau_reader, "report_form": ReportForm(),
        "conversation": conversation, "inquiry": conversation.inquiry,
        "thread": selectors.thread(conversation), "participants": selectors.participants(conversation),
        "message_form": message_form or MessageForm(), "agent_form": agent_form or AgentForm(),
        "close_form": close_form or CloseForm(),
        "orgs": [conversation.inquiry.sender_org, conversation.inquiry.recipient_org],
        "is_agent": request.user.pk == conversation.agent_id and request.user.role == PlatformRole.AGENT,
    }, status=status)


@login_required
def conversation(request, pk: int):
    reported = _reported_for_bureau(request, pk)
    if reported is not None:
        # Bureau staff read a reported conversation, read-only; each reading is logged.
        services.log_bureau_read(user=request.user, conversation=reported)
        return _conversation_page(request, reported, bureau_reader=True)
    conversation = _conversation_for(request, pk)
    # Opening the page is reading it: the read receipt moves up to now.
    services.mark_read(user=request.user, conversation=conversation)
    return _conversation_page(request, conversation)


@login_required
@require_POST
def post_message(request, pk: int):
    conversation = _conversation_for(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if selectors.already_submitted(request.POST.get("form_token"), request.user):
        messages.info(request, _("这条消息已发送过，请勿重复提交。"))
        return redirect("inquiries:conversation", pk=pk)
    if form.is_valid():
        try:
            services.post_message(user=request.user, conversation=conversation, body=form.cleaned_data["body"],
                                  submission_token=form.cleaned_data["form_token"],
                                  attachment=form.cleaned_data.get("attachment"))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect(f"{reverse('inquiries:conversation', args=[pk])}#latest")
    return _conversation_page(request, conversation, message_form=form, status=400)


@login_required
@require_POST
def invite(request, pk: int):
    conversation = _conversation_for(request, pk)
    form = AgentForm(request.POST)
    if form.is_valid():
        try:
            services.invite_agent(user=request.user, conversation=conversation, agent=form.cleaned_data["agent"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("已邀请技术经纪人加入洽谈。"))
            return redirect("inquiries:conversation", pk=pk)
    return _conversation_page(request, conversation, agent_form=form, status=400)


@login_required
@require_POST
def close(request, pk: int):
    conversation = _conversation_for(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_conversation(user=request.user, conversation=conversation,
                                        outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("洽谈已结束。"))
            return redirect("inquiries:conversation", pk=pk)
    return _conversation_page(request, conversation, close_form=form, status=400)


@login_required
@require_POST
def share_contact(request, pk: int):
    conversation = _conversation_for(request, pk)
    try:
        services.share_contact(user=request.user, conversation=conversation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已同意交换联系方式，对方也同意后双方可见。"))
    return redirect("inquiries:conversation", pk=pk)


@login_required
def start_deal(request, pk: int):
    """发起商机: the deals app's own create form, prefilled with both sides and the listing."""
    conversation = _conversation_for(request, pk)
    if request.user.pk != conversation.agent_id or request.user.role != PlatformRole.AGENT:
        raise PermissionDenied(_("请邀请技术经纪人，由经纪人发起商机。"))
    return redirect(f"{reverse('deals:new')}?{urlencode(selectors.deal_prefill(conversation))}")


@login_required
@require_POST
def block(request, pk: int):
    inquiry, role = _inquiry_for(request, pk)
    if role != "recipient":
        raise PermissionDenied(_("只有发布机构可以屏蔽咨询机构。"))
    services.block_sender(user=request.user, inquiry=inquiry)
    messages.success(request, _("已屏蔽%(org)s，今后不再接收其咨询。") % {"org": inquiry.sender_org.name})
    return redirect("inquiries:detail", pk=pk)


@login_required
def overview(request):
    if not selectors.can_see_overview(request.user):
        raise PermissionDenied(_("仅科技局工作人员可以查看。"))
    return render(request, "inquiries/overview.html", {"inquiries": selectors.overview()})


# --- abuse: reports and suspensions ----------------------------------------------------------------


@login_required
@require_POST
def report(request, pk: int, message_id: int):
    conversation = _conversation_for(request, pk)
    message = get_object_or_404(Message, pk=message_id, conversation=conversation)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
    else:
        try:
            services.report_message(user=request.user, message=message, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已举报该消息，科技局工作人员将查看这段洽谈。"))
    return redirect("inquiries:conversation", pk=pk)


def _require_bureau(request) -> None:
    if not selectors.can_see_overview(request.user):
        raise PermissionDenied(_("仅科技局工作人员可以查看。"))


@login_required
def suspensions(request):
    _require_bureau(request)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspend(by=request.user, user=form.cleaned_data["email"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("账号已暂停。"))
            return redirect("inquiries:suspensions")
    return render(request, "inquiries/suspensions.html", {
        "form": form, "suspensions": selectors.suspensions(), "reported": selectors.reported_conversations(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def lift_suspension(request, pk: int):
    _require_bureau(request)
    try:
        services.lift(by=request.user, suspension=get_object_or_404(Suspension, pk=pk))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("账号已恢复。"))
    return redirect("inquiries:suspensions")


# --- private attachments ---------------------------------------------------------------------------


@login_required
def inquiry_attachment(request, pk: int):
    """The inquiry's parties (and bureau staff once its conversation had a message reported)."""
    inquiry = get_object_or_404(Inquiry, pk=pk)
    conversation = selectors.conversation_of(inquiry)
    bureau = conversation is not None and selectors.bureau_may_read(request.user, conversation)
    if selectors.role_in_inquiry(request.user, inquiry) is None and not bureau:
        raise Http404
    return private_file_response(inquiry.attachment, download_name=f"inquiry-{inquiry.pk}")


@login_required
def message_attachment(request, pk: int, message_id: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    if not (selectors.is_participant(request.user, conversation)
            or selectors.bureau_may_read(request.user, conversation)):
        raise Http404
    message = get_object_or_404(Message, pk=message_id, conversation=conversation)
    return private_file_response(message.attachment, download_name=f"message-{message.pk}")
