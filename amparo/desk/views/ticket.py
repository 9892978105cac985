"""The ticket page and its HTMX partials: timeline, properties, composer, followers, merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.accounts.models import User
from amparo.accounts.selectors import agent_list, team_list
from amparo.core.actors import Actor
from amparo.core.auth import agent_required
from amparo.core.errors import DomainError, NotFound
from amparo.core.middleware import allows_remote_images
from amparo.core.models import CustomFieldTarget
from amparo.desk import selectors
from amparo.desk.customer import customer_sidebar
from amparo.desk.forms import MergeForm, ReplyForm
from amparo.desk.props import apply_field_change
from amparo.desk.timeline import build_timeline
from amparo.inbox.selectors import message_ids_with_original
from amparo.tickets import services as ticket_services
from amparo.tickets.models import AuthorKind, Channel, Message, Priority, Status, Ticket
from amparo.tickets.selectors import event_list, message_list, ticket_get_for_agent


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    try:
        return ticket_get_for_agent(agent=_user(request), ticket_id=ticket_id)
    except NotFound as exc:
        raise Http404 from exc


def _refetch(request: HttpRequest, ticket_id: int) -> Ticket | HttpResponse:
    """The ticket after a change, or a way back to the queue if the change (say, moving it to
    another team) took it out of what this agent may see."""
    try:
        return ticket_get_for_agent(agent=_user(request), ticket_id=ticket_id)
    except NotFound:
        messages.info(
            request,
            _("Ticket #%(n)d moved out of your teams; you no longer see it.") % {"n": ticket_id},
        )
        if _is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("desk:queue")
            return response
        return redirect("desk:queue")


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def timeline_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    msgs = list(message_list(ticket=ticket, include_internal=True))
    events = list(event_list(ticket=ticket))
    # Only tickets that had email (or still do) can have an original .eml to offer.
    with_original = (
        message_ids_with_original(agent=_user(request), ticket=ticket)
        if any(m.channel == Channel.EMAIL for m in msgs)
        else set()
    )
    return {
        "ticket": ticket,
        "timeline": build_timeline(msgs, events, with_original=with_original),
        "last_message_id": max((m.pk for m in msgs), default=0),
    }


def props_context(
    request: HttpRequest, ticket: Ticket, *, saved: str = "", error: dict[str, str] | None = None
) -> dict[str, Any]:
    agent = _user(request)
    definitions = selectors.custom_field_definitions(CustomFieldTarget.TICKET)
    followers = list(ticket.follower_agents.all())
    return {
        "ticket": ticket,
        "statuses": Status.choices,
        "priorities": Priority.choices,
        "teams": list(team_list(viewer=agent)),
        "agents": list(agent_list(viewer=agent)),
        "tag_names": " ".join(t.name for t in ticket.tags.all()),
        "custom_fields": selectors.ticket_custom_fields(ticket, definitions),
        "followers": followers,
        "is_following": any(f.pk == agent.pk for f in followers),
        "saved": saved,
        "error": error or {},
    }


def composer_context(
    request: HttpRequest,
    ticket: Ticket,
    *,
    form: ReplyForm | None = None,
    body: str = "",
    seen: int | None = None,
    collision: str = "",
) -> dict[str, Any]:
    agent = _user(request)
    if seen is None:
        seen = _int_or_none(form.data.get("seen")) if form is not None else None
    if seen is None:
        seen = (
            Message.objects.filter(ticket=ticket)
            .order_by("-id")
            .values_list("pk", flat=True)
            .first()
            or 0
        )
    return {
        "ticket": ticket,
        "form": form,
        "seen": seen,
        "collision": collision,
        "body": body if form is None else form.data.get("body", ""),
        "kind": "reply" if form is None else form.data.get("kind", "reply"),
        "macros": list(selectors.macro_list_for_agent(agent=agent, ticket=ticket)),
        "signature": agent.signature,
        "channel_label": Channel(ticket.channel).label if ticket.channel in Channel.values else "",
        "status_choices": ReplyForm.base_fields["status_after"].choices,  # type: ignore[attr-defined]
    }


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _collision(agent: User, ticket: Ticket, form: ReplyForm) -> str:
    """Another agent's public reply written since this agent's page showed the conversation:
    sending now could answer the customer twice, so the agent confirms first."""
    data = form.cleaned_data
    if data["kind"] != "reply" or data.get("send_anyway") or data.get("seen") is None:
        return ""
    newer = (
        Message.objects.filter(
            ticket=ticket, pk__gt=data["seen"], is_internal=False, author_kind=AuthorKind.AGENT
        )
        .exclude(author_agent=agent)
        .select_related("author_agent")
        .order_by("-id")
        .first()
    )
    if newer is None:
        return ""
    return _(
        "%(name)s replied to the customer while you were writing. Read it, then send anyway or edit your reply."
    ) % {"name": newer.author_name}


@agent_required
@allows_remote_images
@require_GET
def ticket_page(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    if ticket.merged_into_id:
        messages.info(request, _("Ticket #%(n)d was merged into this one.") % {"n": ticket.pk})
        return redirect("desk:ticket", ticket_id=ticket.merged_into_id)
    timeline = timeline_context(request, ticket)
    context = {
        **timeline,
        **props_context(request, ticket),
        **composer_context(request, ticket, seen=timeline["last_message_id"]),
        **customer_sidebar(agent=_user(request), ticket=ticket),
        "back_url": request.GET.get("back") if _safe_back(request) else reverse("desk:queue"),
        "merge_form": MergeForm(),
    }
    return render(request, "desk/ticket.html", context)


def _safe_back(request: HttpRequest) -> bool:
    back = request.GET.get("back") or ""
    return back.startswith("/desk/") and not back.startswith("//")


@agent_required
@require_GET
def ticket_timeline(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    return render(request, "desk/partials/timeline.html", timeline_context(request, ticket))


@agent_required
@require_GET
def ticket_props(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    return render(request, "desk/partials/props.html", props_context(request, ticket))


@agent_required
@require_POST
def ticket_update(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    field = request.POST.get("field", "")
    try:
        ticket = apply_field_change(
            agent=_user(request), ticket=ticket, field=field, value=request.POST.get("value", "")
        )
    except DomainError as exc:
        ticket = _ticket(request, ticket_id)
        context = props_context(request, ticket, error={"field": field, "message": exc.message})
        if not _is_htmx(request):
            messages.error(request, exc.message)
            return redirect("desk:ticket", ticket_id=ticket.pk)
        return render(request, "desk/partials/props.html", context, status=400)
    fresh = _refetch(request, ticket_id)
    if isinstance(fresh, HttpResponse):
        return fresh
    if not _is_htmx(request):
        return redirect("desk:ticket", ticket_id=fresh.pk)
    return render(request, "desk/partials/props.html", props_context(request, fresh, saved=field))


@agent_required
@require_POST
def ticket_follow(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    agent = _user(request)
    ticket_services.ticket_follow(
        ticket=ticket,
        actor=Actor.of_agent(agent),
        agent=agent,
        follow=request.POST.get("follow") == "1",
    )
    if not _is_htmx(request):
        return redirect("desk:ticket", ticket_id=ticket.pk)
    return render(request, "desk/partials/props.html", props_context(request, ticket))


@agent_required
@require_POST
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    agent = _user(request)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        collision = _collision(agent, ticket, form)
        if collision:
            timeline = timeline_context(request, ticket)
            context = composer_context(request, ticket, form=form, collision=collision)
            context["seen"] = timeline["last_message_id"]
            html = render_to_string("desk/partials/composer.html", context, request=request)
            html += render_to_string(
                "desk/partials/timeline.html", {**timeline, "oob": True}, request=request
            )
            return HttpResponse(html, status=409)
        try:
            _send(agent, ticket, form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
    if form.errors:
        if not _is_htmx(request):
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect("desk:ticket", ticket_id=ticket.pk)
        context = composer_context(request, ticket, form=form)
        return render(request, "desk/partials/composer.html", context, status=400)
    fresh = _refetch(request, ticket_id)
    if isinstance(fresh, HttpResponse):
        return fresh
    if not _is_htmx(request):
        return redirect("desk:ticket", ticket_id=fresh.pk)
    ticket = fresh
    timeline = timeline_context(request, ticket)
    html = render_to_string(
        "desk/partials/composer.html",
        composer_context(request, ticket, seen=timeline["last_message_id"]),
        request=request,
    )
    html += render_to_string(
        "desk/partials/timeline.html", {**timeline, "oob": True}, request=request
    )
    html += render_to_string(
        "desk/partials/props.html", {**props_context(request, ticket), "oob": True}, request=request
    )
    return HttpResponse(html)


def _send(agent: User, ticket: Ticket, data: dict[str, Any]) -> None:
    from django.db import transaction

    is_note = data["kind"] == "note"
    body = (data.get("body") or "").strip()
    if body and not is_note and agent.signature.strip() and agent.signature.strip() not in body:
        body = f"{body}\n\n{agent.signature.strip()}"
    attachments = [
        ticket_services.NewAttachment(filename=f.name, data=f.read())
        for f in data.get("attachments") or []
    ]
    with transaction.atomic():
        ticket_services.message_add(
            ticket=ticket,
            actor=Actor.of_agent(agent),
            body_text=body,
            is_internal=is_note,
            attachments=attachments,
        )
        if data.get("status_after"):
            ticket_services.ticket_update(
                ticket=ticket, actor=Actor.of_agent(agent), status=data["status_after"]
            )


@agent_required
@require_POST
def ticket_macro(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    agent = _user(request)
    raw = request.POST.get("macro", "")
    try:
        macro = selectors.macro_get_for_agent(agent=agent, macro_id=int(raw))
        body = ticket_services.ticket_apply_macro(ticket=ticket, agent=agent, macro=macro)
    except (ValueError, NotFound):
        form = ReplyForm(request.POST)
        form.is_valid()
        form.errors.clear()
        form.add_error(None, _("Choose a macro from the list."))
        context = composer_context(request, ticket, form=form)
        return render(request, "desk/partials/composer.html", context, status=400)
    except DomainError as exc:
        form = ReplyForm(request.POST)
        form.is_valid()
        form.errors.clear()
        form.add_error(None, exc.message)
        context = composer_context(request, ticket, form=form)
        return render(request, "desk/partials/composer.html", context, status=400)
    fresh = _refetch(request, ticket_id)
    if isinstance(fresh, HttpResponse):
        return fresh
    ticket = fresh
    if not _is_htmx(request):
        messages.success(request, _("Macro applied."))
        return redirect("desk:ticket", ticket_id=ticket.pk)
    timeline = timeline_context(request, ticket)
    html = render_to_string(
        "desk/partials/composer.html",
        composer_context(request, ticket, body=body, seen=_int_or_none(request.POST.get("seen"))),
        request=request,
    )
    html += render_to_string(
        "desk/partials/timeline.html", {**timeline, "oob": True}, request=request
    )
    html += render_to_string(
        "desk/partials/props.html", {**props_context(request, ticket), "oob": True}, request=request
    )
    return HttpResponse(html)


@agent_required
@require_POST
def ticket_merge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the number of the ticket to merge into."))
        return redirect("desk:ticket", ticket_id=ticket.pk)
    try:
        target = ticket_services.tickets_bulk_merge(
            agent=_user(request), ticket_ids=[ticket.pk], target_id=form.cleaned_data["target"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("desk:ticket", ticket_id=ticket.pk)
    messages.success(
        request, _("Ticket #%(a)d merged into #%(b)d.") % {"a": ticket.pk, "b": target.pk}
    )
    return redirect("desk:ticket", ticket_id=target.pk)
