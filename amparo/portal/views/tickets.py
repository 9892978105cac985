"""The customer's requests: list, submit (also for visitors), read, reply, solve and reopen."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.core.errors import DomainError, NotFound
from amparo.crm.models import Contact
from amparo.portal.access import client_ip, customer_required, not_for_agents
from amparo.portal.expectations import expected_response_hours
from amparo.portal.forms import ReplyForm, TicketForm, add_domain_error, to_attachments
from amparo.portal.selectors import contact_for_user, customer_custom_fields
from amparo.portal.services import (
    Submission,
    portal_reply,
    portal_ticket_reopen,
    portal_ticket_solve,
    portal_ticket_submit,
    portal_ticket_submit_anonymous,
)
from amparo.tickets.models import OPEN_STATUSES, Priority, Ticket
from amparo.tickets.selectors import (
    message_list,
    ticket_get_for_customer,
    ticket_list_for_customer,
)

PAGE_SIZE = 20


@not_for_agents
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    contact = contact_for_user(request.user) if request.user.is_authenticated else None  # type: ignore[arg-type]
    if contact is None:
        return render(request, "portal/home.html")
    q = " ".join(request.GET.get("q", "").split())[:200]
    tickets = ticket_list_for_customer(contact=contact, text=q).order_by("-updated_at", "-id")
    show = request.GET.get("show", "")
    if show == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif show == "done":
        tickets = tickets.exclude(status__in=OPEN_STATUSES)
    else:
        show = ""
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    shared = bool(contact.organization_id and contact.organization.shares_tickets)  # type: ignore[union-attr]
    return render(
        request,
        "portal/ticket_list.html",
        {
            "page": page,
            "contact": contact,
            "shows_organization": shared,
            "show": show,
            "q": q,
            # Filter and search kept by the tabs and the page links.
            "query": urlencode({k: v for k, v in (("show", show), ("q", q)) if v}),
            "search_query": urlencode({"q": q}) if q else "",
        },
    )


@not_for_agents
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    contact = contact_for_user(request.user) if request.user.is_authenticated else None  # type: ignore[arg-type]
    if request.user.is_authenticated and contact is None:
        raise Http404
    anonymous = contact is None
    if request.method == "GET":
        form = TicketForm(anonymous=anonymous)
        return _render_new(request, form)
    form = TicketForm(request.POST, request.FILES, anonymous=anonymous)
    if not form.is_valid():
        return _render_new(request, form, status=400)
    if form.is_spam:
        # Look the same as a success to the bot; nothing is stored.
        request.session["portal_submitted"] = {"number": None, "anonymous": True}
        return redirect("portal:ticket_submitted")
    submission = Submission(
        subject=form.cleaned_data["subject"],
        description=form.cleaned_data["description"],
        attachments=to_attachments(form.cleaned_data["attachments"]),
        custom_fields=form.custom_values(),
    )
    language = translation.get_language() or ""
    try:
        if contact is None:
            ticket = portal_ticket_submit_anonymous(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                submission=submission,
                ip=client_ip(request),
                language=language,
            )
        else:
            ticket = portal_ticket_submit(contact=contact, submission=submission, language=language)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_new(request, form, status=exc.status)
    if contact is not None:
        messages.success(request, _("Thank you! We received your request."))
        return redirect("portal:ticket", ticket_id=ticket.pk)
    request.session["portal_submitted"] = {
        "number": ticket.pk,
        "anonymous": True,
        "email": form.cleaned_data["email"],
        "priority": ticket.priority,
    }
    return redirect("portal:ticket_submitted")


def _render_new(request: HttpRequest, form: TicketForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portal/ticket_new.html",
        {"form": form, "expected_hours": expected_response_hours(Priority.NORMAL)},
        status=status,
    )


@not_for_agents
@require_GET
def ticket_submitted(request: HttpRequest) -> HttpResponse:
    submitted = request.session.get("portal_submitted")
    if not submitted:
        return redirect("portal:ticket_new")
    hours = expected_response_hours(submitted.get("priority") or Priority.NORMAL)
    return render(
        request, "portal/ticket_submitted.html", {"submitted": submitted, "expected_hours": hours}
    )


def _ticket_or_404(contact: Contact, ticket_id: int) -> Ticket:
    try:
        return ticket_get_for_customer(contact=contact, ticket_id=ticket_id)
    except NotFound as exc:
        raise Http404 from exc


def _detail_context(contact: Contact, ticket: Ticket, form: ReplyForm) -> dict[str, Any]:
    fields = {d.key: d.label for d in customer_custom_fields()}
    hours = None
    if ticket.first_response_at is None and ticket.is_open:
        hours = expected_response_hours(ticket.priority)
    return {
        "ticket": ticket,
        "contact": contact,
        "thread": message_list(ticket=ticket, include_internal=False),
        "form": form,
        "expected_hours": hours,
        "fields": [
            (label, ticket.custom_fields[key])
            for key, label in fields.items()
            if key in ticket.custom_fields
        ],
    }


@customer_required
@require_GET
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    contact: Contact = request.contact  # type: ignore[attr-defined]
    ticket = _ticket_or_404(contact, ticket_id)
    context = _detail_context(contact, ticket, ReplyForm())
    if request.headers.get("HX-Request"):
        return render(request, "portal/partials/thread.html", context)
    return render(request, "portal/ticket_detail.html", context)


@customer_required
@require_POST
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    contact: Contact = request.contact  # type: ignore[attr-defined]
    ticket = _ticket_or_404(contact, ticket_id)
    form = ReplyForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            message = portal_reply(
                contact=contact,
                ticket=ticket,
                body=form.cleaned_data["body"],
                attachments=to_attachments(form.cleaned_data["attachments"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status
        else:
            if message.ticket_id != ticket.pk:
                messages.info(request, _("This request was closed, so we opened a new one."))
            else:
                messages.success(request, _("Your reply was sent."))
            return redirect("portal:ticket", ticket_id=message.ticket_id)
    context = _detail_context(contact, ticket, form)
    return render(request, "portal/ticket_detail.html", context, status=status)


@customer_required
@require_POST
def ticket_status(request: HttpRequest, ticket_id: int) -> HttpResponse:
    contact: Contact = request.contact  # type: ignore[attr-defined]
    ticket = _ticket_or_404(contact, ticket_id)
    action = request.POST.get("action")
    try:
        if action == "solve":
            portal_ticket_solve(contact=contact, ticket=ticket)
            messages.success(request, _("We marked your request as solved. Thank you!"))
        elif action == "reopen":
            portal_ticket_reopen(contact=contact, ticket=ticket)
            messages.success(request, _("Your request is open again."))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:ticket", ticket_id=ticket.pk)
