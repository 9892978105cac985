"""Organization list, page, edit and create."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from amparo.core.auth import agent_required
from amparo.core.errors import DomainError, NotFound
from amparo.core.models import CustomFieldTarget
from amparo.crm import selectors, services
from amparo.crm.forms import OrganizationForm, add_domain_error, focus_first_error
from amparo.crm.models import Organization
from amparo.crm.views.common import (
    PAGE_SIZE,
    TICKET_PAGE_SIZE,
    custom_rows,
    is_htmx,
    page_of,
    render_page_or_partial,
    viewer,
)

MEMBERS_SHOWN = 25
OPTIONS_LIMIT = 10


def _organization_or_404(request: HttpRequest, organization_id: int) -> Organization:
    try:
        return selectors.organization_get(viewer=viewer(request), organization_id=organization_id)
    except NotFound as exc:
        raise Http404 from exc


@require_GET
@agent_required
def organization_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    orgs, next_cursor = page_of(
        selectors.organization_search(viewer=viewer(request), q=q),
        order="name",
        cursor=request.GET.get("cursor"),
        limit=PAGE_SIZE,
    )
    counts = selectors.organization_member_counts([o.pk for o in orgs])
    context = {
        "q": q.strip(),
        "rows": [(o, counts.get(o.pk, 0)) for o in orgs],
        "next_cursor": next_cursor,
        "is_first_page": not request.GET.get("cursor"),
    }
    return render_page_or_partial(
        request, "crm/organization_list.html", "crm/partials/organization_results.html", context
    )


@require_GET
@agent_required
def organization_options(request: HttpRequest) -> HttpResponse:
    """<option>s for the organization field's datalist while an agent types."""
    q = request.GET.get("organization", request.GET.get("q", ""))[:200]
    orgs = (
        list(selectors.organization_search(viewer=viewer(request), q=q)[:OPTIONS_LIMIT])
        if q.strip()
        else []
    )
    return render(request, "crm/partials/organization_options.html", {"organizations": orgs})


def _card_context(org: Organization) -> dict[str, object]:
    return {
        "organization": org,
        "custom_rows": custom_rows(CustomFieldTarget.ORGANIZATION, org.custom_fields),
    }


@require_GET
@agent_required
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    agent = viewer(request)
    org = _organization_or_404(request, organization_id)
    members = list(
        selectors.contact_search(viewer=agent, organization_id=org.pk).order_by("name", "id")[
            : MEMBERS_SHOWN + 1
        ]
    )
    tickets, tickets_next = page_of(
        selectors.customer_tickets_for_agent(viewer=agent, organization_id=org.pk),
        order="-updated_at",
        cursor=None,
        limit=TICKET_PAGE_SIZE,
    )
    context = {
        **_card_context(org),
        "members": members[:MEMBERS_SHOWN],
        "more_members": len(members) > MEMBERS_SHOWN,
        "tickets": tickets,
        "tickets_next": tickets_next,
    }
    return render(request, "crm/organization_detail.html", context)


@require_GET
@agent_required
def organization_tickets(request: HttpRequest, organization_id: int) -> HttpResponse:
    org = _organization_or_404(request, organization_id)
    tickets, next_cursor = page_of(
        selectors.customer_tickets_for_agent(viewer=viewer(request), organization_id=org.pk),
        order="-updated_at",
        cursor=request.GET.get("cursor"),
        limit=TICKET_PAGE_SIZE,
    )
    context = {"tickets": tickets, "tickets_next": next_cursor, "more_url": request.path}
    return render(request, "crm/partials/ticket_rows.html", context)


@require_GET
@agent_required
def organization_card(request: HttpRequest, organization_id: int) -> HttpResponse:
    org = _organization_or_404(request, organization_id)
    context = {**_card_context(org), "refocus": True}
    return render(request, "crm/partials/organization_card.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    org = _organization_or_404(request, organization_id)
    initial = {
        "name": org.name,
        "domains": ", ".join(org.domains),
        "shares_tickets": org.shares_tickets,
        "notes": org.notes,
    }
    status = 200
    if request.method == "POST":
        form = OrganizationForm(request.POST, current=org.custom_fields, initial=initial)
        if form.is_valid():
            try:
                services.organization_update(organization=org, **form.values())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if is_htmx(request):
                    org = _organization_or_404(request, organization_id)
                    context = {**_card_context(org), "saved": True}
                    return render(request, "crm/partials/organization_card.html", context)
                return redirect("crm:organization_detail", organization_id=org.pk)
        status = 400
        focus_first_error(form)
    else:
        form = OrganizationForm(current=org.custom_fields, initial=initial)
    return render_page_or_partial(
        request,
        "crm/organization_edit.html",
        "crm/partials/organization_form.html",
        {"organization": org, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@agent_required
def organization_create(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = OrganizationForm(request.POST, current={})
        if form.is_valid():
            try:
                org = services.organization_create(**form.values())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("crm:organization_detail", organization_id=org.pk)
        status = 400
        focus_first_error(form)
    else:
        form = OrganizationForm(current={}, initial={"name": request.GET.get("name", "")[:200]})
    return render(
        request, "crm/organization_edit.html", {"organization": None, "form": form}, status=status
    )
