"""The queue page: built-in and saved views, filters, keyset pages, bulk actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.accounts.models import User
from amparo.accounts.selectors import agent_list, team_list
from amparo.core.auth import agent_required
from amparo.core.errors import DomainError, NotFound
from amparo.desk import selectors
from amparo.desk.filters import (
    BUILTIN_BY_KEY,
    BUILTIN_VIEWS,
    DEFAULT_VIEW,
    QueueFilterForm,
    QueueSpec,
)
from amparo.desk.forms import BulkForm, SaveViewForm
from amparo.desk.models import SavedView, SortOrder
from amparo.desk.services import saved_view_create, saved_view_delete
from amparo.tickets import services as ticket_services
from amparo.tickets.models import Priority, Status

FILTER_KEYS = {"q", "status", "priority", "channel", "team", "assignee", "tag"}
FILTER_KEYS |= {"created_after", "created_before", "sort"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _filter_form(request: HttpRequest) -> QueueFilterForm:
    return QueueFilterForm(request.GET if FILTER_KEYS & set(request.GET) else None)


def _count_label(count: tuple[int, bool]) -> str:
    n, capped = count
    return f"{n}+" if capped else str(n)


def _render_queue(
    request: HttpRequest, *, current: str, title: str, base_spec: Any, saved: SavedView | None
) -> HttpResponse:
    agent = _user(request)
    teams = list(team_list(viewer=agent))
    agents = list(agent_list(viewer=agent))
    form = _filter_form(request)
    specs = [base_spec]
    if form.is_bound and form.is_valid() and form.is_filtering():
        specs.append(form.spec(agent))
    elif form.is_bound and form.is_valid() and form.cleaned_data.get("sort"):
        base_spec.sort = form.cleaned_data["sort"]
    cursor = request.GET.get("cursor") or None
    error = ""
    try:
        tickets, next_cursor = selectors.queue_page(agent=agent, specs=specs, cursor=cursor)
    except DomainError:
        error = _("That page link has expired; showing the first page.")
        tickets, next_cursor = selectors.queue_page(agent=agent, specs=specs, cursor=None)
    context: dict[str, Any] = {
        "current": current,
        "title": title,
        "saved": saved,
        "form": form,
        "tickets": tickets,
        "next_cursor": next_cursor,
        "is_first_page": not cursor or bool(error),
        "page_error": error,
        "query_without_cursor": _query_without(request.GET, "cursor"),
        "teams": teams,
        "agents": agents,
        "statuses": Status.choices,
        "priorities": Priority.choices,
    }
    if request.headers.get("HX-Request"):
        return render(request, "desk/partials/queue_results.html", context)
    saved_views = list(selectors.saved_view_list_for_agent(agent=agent))
    context["builtin_views"] = [
        (view, _count_label(selectors.queue_count(agent=agent, specs=[view.build(agent)])))
        for view in BUILTIN_VIEWS
    ]
    context["saved_views"] = [
        (view, _count_label(selectors.queue_count(agent=agent, specs=[_saved_spec(view, agent)])))
        for view in saved_views
    ]
    context["save_form"] = SaveViewForm(initial={"query": context["query_without_cursor"]})
    context["count_cap"] = selectors.COUNT_CAP
    return render(request, "desk/queue.html", context)


def _query_without(query: QueryDict, key: str) -> str:
    copy = query.copy()
    copy.pop(key, None)
    return copy.urlencode()


def _saved_spec(view: SavedView, agent: User) -> Any:
    form = QueueFilterForm(view.filters)
    # A view saved by an older version may no longer validate: it then shows its base queue.
    spec = form.spec(agent) if form.is_valid() else QueueSpec()
    spec.sort = view.sort
    return spec


@agent_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    key = request.GET.get("view") or DEFAULT_VIEW
    view = BUILTIN_BY_KEY.get(key)
    if view is None:
        raise Http404
    return _render_queue(
        request,
        current=key,
        title=str(view.label),
        base_spec=view.build(_user(request)),
        saved=None,
    )


@agent_required
@require_GET
def saved_view(request: HttpRequest, view_id: int) -> HttpResponse:
    try:
        view = selectors.saved_view_get_for_agent(agent=_user(request), view_id=view_id)
    except NotFound as exc:
        raise Http404 from exc
    return _render_queue(
        request,
        current=f"saved-{view.pk}",
        title=view.name,
        base_spec=_saved_spec(view, _user(request)),
        saved=view,
    )


@agent_required
@require_POST
def saved_view_save(request: HttpRequest) -> HttpResponse:
    agent = _user(request)
    form = SaveViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the view a name."))
        return redirect("desk:queue")
    query = QueryDict(form.cleaned_data["query"])
    filters = QueueFilterForm(query)
    if not filters.is_valid():
        messages.error(request, _("The filters are not valid; correct them and save again."))
        return redirect(f"/desk/?{form.cleaned_data['query']}")
    try:
        view = saved_view_create(
            owner=agent,
            name=form.cleaned_data["name"],
            filters=filters.to_json(),
            sort=filters.cleaned_data.get("sort") or SortOrder.UPDATED_DESC,
            is_shared=form.cleaned_data["is_shared"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"/desk/?{form.cleaned_data['query']}")
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect("desk:saved_view", view_id=view.pk)


@agent_required
@require_POST
def saved_view_remove(request: HttpRequest, view_id: int) -> HttpResponse:
    agent = _user(request)
    try:
        view = selectors.saved_view_get_for_agent(agent=agent, view_id=view_id)
        saved_view_delete(view=view, agent=agent)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("View deleted."))
    return redirect("desk:queue")


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or "/desk/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/desk/"
    return target


@agent_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    agent = _user(request)
    form = BulkForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("Nothing was changed: %(problems)s") % {"problems": problems})
        return redirect(_back(request))
    data = form.cleaned_data
    ids = data["tickets"]
    action = data["action"]
    try:
        if action == "assign":
            ticket_services.tickets_bulk_update(
                agent=agent, ticket_ids=ids, assignee=_assignee(data["assignee"], agent)
            )
        elif action == "status":
            ticket_services.tickets_bulk_update(agent=agent, ticket_ids=ids, status=data["status"])
        elif action == "priority":
            ticket_services.tickets_bulk_update(
                agent=agent, ticket_ids=ids, priority=data["priority"]
            )
        elif action == "tag":
            ticket_services.tickets_bulk_tag(agent=agent, ticket_ids=ids, add=[data["tag"]])
        elif action == "merge":
            target = ticket_services.tickets_bulk_merge(
                agent=agent, ticket_ids=ids, target_id=data["target"]
            )
            messages.success(request, _("Tickets merged into #%(n)d.") % {"n": target.pk})
            return redirect(_back(request))
    except DomainError as exc:
        messages.error(request, _("Nothing was changed: %(problems)s") % {"problems": exc.message})
        return redirect(_back(request))
    messages.success(request, _("%(n)d tickets updated.") % {"n": len(ids)})
    return redirect(_back(request))


def _assignee(value: str, agent: User) -> User | None:
    if value == "none":
        return None
    if value == "me":
        return agent
    if not value.isdigit():
        raise DomainError(_("Choose an agent."), field="assignee")
    found = agent_list(viewer=agent).filter(pk=int(value)).first()
    if found is None:
        raise DomainError(_("Choose an agent."), field="assignee")
    return found
