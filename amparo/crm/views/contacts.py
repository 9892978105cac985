"""Contact list, page, edit and create, and identities."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.core.auth import agent_required
from amparo.core.errors import Conflict, DomainError, NotFound
from amparo.core.models import CustomFieldTarget
from amparo.crm import selectors, services
from amparo.crm.forms import (
    ContactCreateForm,
    ContactForm,
    IdentityForm,
    add_domain_error,
    focus_first_error,
)
from amparo.crm.models import Contact, ContactIdentity
from amparo.crm.views.common import (
    PAGE_SIZE,
    TICKET_PAGE_SIZE,
    custom_rows,
    is_htmx,
    page_of,
    render_page_or_partial,
    viewer,
)


def _contact_or_404(request: HttpRequest, contact_id: int) -> Contact:
    try:
        return selectors.contact_get_for_page(viewer=viewer(request), contact_id=contact_id)
    except NotFound as exc:
        raise Http404 from exc


@require_GET
@agent_required
def contact_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    org_id = request.GET.get("organization", "")
    organization = None
    if org_id.isdigit():
        try:
            organization = selectors.organization_get(
                viewer=viewer(request), organization_id=int(org_id)
            )
        except NotFound as exc:
            raise Http404 from exc
    qs = selectors.contact_search(
        viewer=viewer(request), q=q, organization_id=organization.pk if organization else None
    )
    contacts, next_cursor = page_of(
        qs, order=selectors.CONTACT_PAGE_ORDER, cursor=request.GET.get("cursor"), limit=PAGE_SIZE
    )
    context = {
        "q": q.strip(),
        "organization": organization,
        "contacts": contacts,
        "next_cursor": next_cursor,
        "is_first_page": not request.GET.get("cursor"),
    }
    return render_page_or_partial(
        request, "crm/contact_list.html", "crm/partials/contact_results.html", context
    )


def _detail_context(request: HttpRequest, contact: Contact) -> dict[str, object]:
    agent = viewer(request)
    tickets, next_cursor = page_of(
        selectors.customer_tickets_for_agent(viewer=agent, contact_id=contact.pk),
        order="-updated_at",
        cursor=None,
        limit=TICKET_PAGE_SIZE,
    )
    return {
        "contact": contact,
        "custom_rows": custom_rows(CustomFieldTarget.CONTACT, contact.custom_fields),
        "duplicates": selectors.contact_possible_duplicates(viewer=agent, contact=contact),
        "tickets": tickets,
        "tickets_next": next_cursor,
        "identity_form": IdentityForm(),
    }


@require_GET
@agent_required
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    if contact.merged_into_id:
        # Old links (emails, bookmarks) to a merged contact land on the one it became.
        return redirect("crm:contact_detail", contact_id=contact.merged_into_id)
    return render(request, "crm/contact_detail.html", _detail_context(request, contact))


@require_GET
@agent_required
def contact_tickets(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The next page of a contact's ticket history (the "show more" button)."""
    contact = _contact_or_404(request, contact_id)
    tickets, next_cursor = page_of(
        selectors.customer_tickets_for_agent(viewer=viewer(request), contact_id=contact.pk),
        order="-updated_at",
        cursor=request.GET.get("cursor"),
        limit=TICKET_PAGE_SIZE,
    )
    context = {
        "tickets": tickets,
        "tickets_next": next_cursor,
        "more_url": request.path,
    }
    return render(request, "crm/partials/ticket_rows.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    if contact.merged_into_id:
        return redirect("crm:contact_detail", contact_id=contact.merged_into_id)
    initial = {
        "name": contact.name,
        "organization": contact.organization.name if contact.organization else "",
        "language": contact.language,
        "time_zone": contact.time_zone,
        "notes": contact.notes,
    }
    status = 200
    if request.method == "POST":
        form = ContactForm(
            request.POST, viewer=viewer(request), current=contact.custom_fields, initial=initial
        )
        if form.is_valid():
            try:
                services.contact_update(contact=contact, **form.changes())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                contact = _contact_or_404(request, contact_id)
                if is_htmx(request):
                    context = {
                        "contact": contact,
                        "custom_rows": custom_rows(
                            CustomFieldTarget.CONTACT, contact.custom_fields
                        ),
                        "saved": True,
                    }
                    return render(request, "crm/partials/contact_card.html", context)
                return redirect("crm:contact_detail", contact_id=contact.pk)
        status = 400
        focus_first_error(form)
    else:
        form = ContactForm(viewer=viewer(request), current=contact.custom_fields, initial=initial)
    context = {"contact": contact, "form": form}
    return render_page_or_partial(
        request,
        "crm/contact_edit.html",
        "crm/partials/contact_form.html",
        context,
        status=status,
    )


@require_GET
@agent_required
def contact_card(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The read-only details card (htmx "cancel" of the inline edit)."""
    contact = _contact_or_404(request, contact_id)
    context = {
        "contact": contact,
        "custom_rows": custom_rows(CustomFieldTarget.CONTACT, contact.custom_fields),
        "refocus": True,
    }
    return render(request, "crm/partials/contact_card.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def contact_create(request: HttpRequest) -> HttpResponse:
    agent = viewer(request)
    existing: Contact | None = None
    status = 200
    if request.method == "POST":
        form = ContactCreateForm(request.POST, viewer=agent, current={})
        if form.is_valid():
            changes = form.changes()
            try:
                contact = services.contact_create(identities=form.identities(), **changes)
            except Conflict as exc:
                add_domain_error(form, exc)
                existing = _owner_of(form.identities())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("crm:contact_detail", contact_id=contact.pk)
        status = 400
        focus_first_error(form)
    else:
        form = ContactCreateForm(
            viewer=agent,
            current={},
            initial={"name": request.GET.get("name", "")[:200]},
        )
    context = {"form": form, "existing": existing}
    return render(request, "crm/contact_create.html", context, status=status)


def _owner_of(identities: list[tuple[str, str]]) -> Contact | None:
    for kind, value in identities:
        identity = (
            ContactIdentity.objects.select_related("contact").filter(kind=kind, value=value).first()
        )
        if identity is not None:
            return identity.contact
    return None


def _identities_response(
    request: HttpRequest,
    contact: Contact,
    form: IdentityForm,
    *,
    conflict_with: Contact | None = None,
    status: int = 200,
) -> HttpResponse:
    """htmx gets the identities card again; a plain form post gets the page back."""
    if status != 200:
        focus_first_error(form)
    if not is_htmx(request) and status == 200:
        return redirect("crm:contact_detail", contact_id=contact.pk)
    contact = _contact_or_404(request, contact.pk)
    context: dict[str, object] = {"identity_form": form, "conflict_with": conflict_with}
    if is_htmx(request):
        context["contact"] = contact
        return render(request, "crm/partials/identities.html", context, status=status)
    context = {**_detail_context(request, contact), **context}
    return render(request, "crm/contact_detail.html", context, status=status)


@require_POST
@agent_required
def identity_add(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    if contact.merged_into_id:
        raise Http404
    form = IdentityForm(request.POST)
    if not form.is_valid():
        return _identities_response(request, contact, form, status=400)
    kind, value = form.cleaned_data["kind"], form.cleaned_data["value"]
    try:
        services.identity_add(contact=contact, kind=kind, value=value)
    except Conflict as exc:
        form.add_error("value", exc.message)
        owner = _owner_of([(kind, _normalized_or_raw(kind, value))])
        return _identities_response(request, contact, form, conflict_with=owner, status=409)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _identities_response(request, contact, form, status=400)
    return _identities_response(request, contact, IdentityForm())


def _normalized_or_raw(kind: str, value: str) -> str:
    from amparo.crm.normalize import normalize_identity

    try:
        return normalize_identity(kind, value)
    except DomainError:
        return value


@require_POST
@agent_required
def identity_remove(request: HttpRequest, contact_id: int, identity_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    identity = next((i for i in contact.identities.all() if i.pk == identity_id), None)
    if identity is None:
        raise Http404(_("Unknown identity."))
    services.identity_remove(identity=identity)
    return _identities_response(request, contact, IdentityForm())
