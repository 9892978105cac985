"""Merging two contacts: find the other one, see what will move, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.core.auth import agent_required
from amparo.core.errors import DomainError, NotFound
from amparo.crm import selectors, services
from amparo.crm.models import Contact
from amparo.crm.views.common import render_page_or_partial, viewer

SEARCH_LIMIT = 20
PREVIEW_TICKETS = 20


def _live_contact(request: HttpRequest, contact_id: int) -> Contact:
    try:
        contact = selectors.contact_get_for_page(viewer=viewer(request), contact_id=contact_id)
    except NotFound as exc:
        raise Http404 from exc
    if contact.merged_into_id:
        raise Http404
    return contact


def _other_id(request: HttpRequest) -> int | None:
    raw = (request.POST if request.method == "POST" else request.GET).get("other", "")
    return int(raw) if raw.isdigit() else None


def _preview(request: HttpRequest, source: Contact, target: Contact) -> dict[str, object]:
    """What the merge will change on ``target``, as contact_merge does it."""
    tickets = list(
        selectors.customer_tickets_for_agent(viewer=viewer(request), contact_id=source.pk).order_by(
            "-updated_at", "-id"
        )[: PREVIEW_TICKETS + 1]
    )
    new_attributes = sorted(set(source.custom_fields) - set(target.custom_fields))
    return {
        "moving_identities": list(source.identities.all()),
        "moving_tickets": tickets[:PREVIEW_TICKETS],
        "more_tickets": len(tickets) > PREVIEW_TICKETS,
        "takes_organization": source.organization
        if not target.organization_id and source.organization_id
        else None,
        "takes_name": source.name if not target.name and source.name else "",
        "new_attributes": new_attributes,
        "takes_portal_account": bool(source.user_id and not target.user_id),
    }


@require_http_methods(["GET", "POST"])
@agent_required
def contact_merge(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _live_contact(request, contact_id)
    other_id = _other_id(request)
    if other_id is None:
        return _search(request, contact)
    if other_id == contact.pk:
        messages.error(request, _("A contact cannot be merged into itself."))
        return redirect("crm:contact_merge", contact_id=contact.pk)
    other = _live_contact(request, other_id)
    data = request.POST if request.method == "POST" else request.GET
    keep_other = data.get("keep") == "other"
    source, target = (contact, other) if keep_other else (other, contact)
    if request.method == "POST":
        try:
            services.contact_merge(source=source, target=target, actor=viewer(request))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("crm:contact_merge", contact_id=contact.pk)
        messages.success(
            request,
            _("%(source)s was merged into %(target)s.")
            % {"source": source.display_name, "target": target.display_name},
        )
        return redirect("crm:contact_detail", contact_id=target.pk)
    context = {
        "contact": contact,
        "other": other,
        "source": source,
        "target": target,
        "keep_other": keep_other,
        **_preview(request, source, target),
    }
    return render(request, "crm/contact_merge_confirm.html", context)


def _search(request: HttpRequest, contact: Contact) -> HttpResponse:
    q = request.GET.get("q", "")[:200].strip()
    results: list[Contact] = []
    if q:
        results = list(
            selectors.contact_search(viewer=viewer(request), q=q)
            .exclude(pk=contact.pk)
            .order_by("name", "id")[:SEARCH_LIMIT]
        )
    context = {
        "contact": contact,
        "q": q,
        "results": results,
        "duplicates": selectors.contact_possible_duplicates(
            viewer=viewer(request), contact=contact
        ),
    }
    return render_page_or_partial(
        request, "crm/contact_merge.html", "crm/partials/merge_results.html", context
    )
