"""Teams: create, rename, members and leads."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts import services
from amparo.accounts.forms import add_domain_error
from amparo.accounts.models import Team, User
from amparo.backoffice import selectors
from amparo.backoffice.forms import TeamForm, TeamMemberForm
from amparo.backoffice.views.common import viewer
from amparo.core.auth import supervisor_required
from amparo.core.errors import DomainError, NotFound


def _team(request: HttpRequest, team_id: int) -> Team:
    try:
        return selectors.team_for_management(viewer=viewer(request), team_id=team_id)
    except NotFound as exc:
        raise Http404 from exc


@supervisor_required
@require_http_methods(["GET", "POST"])
def team_list(request: HttpRequest) -> HttpResponse:
    me = viewer(request)
    form = TeamForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                team = services.team_create(actor=me, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The team %(name)s was created.") % {"name": team})
                return redirect("backoffice:team_detail", team_id=team.pk)
        status = 400
    teams = selectors.teams_for_management(viewer=me)
    return render(
        request, "backoffice/team_list.html", {"teams": teams, "form": form}, status=status
    )


def _detail(request: HttpRequest, team: Team, **extra: object) -> HttpResponse:
    status = int(extra.pop("status", 200))  # type: ignore[call-overload]
    context = {
        "team": team,
        "form": extra.pop("form", None)
        or TeamForm(initial={"name": team.name, "description": team.description}),
        "member_form": extra.pop("member_form", None) or TeamMemberForm(team=team),
        **extra,
    }
    template = "backoffice/team_detail.html"
    if request.headers.get("HX-Request") and request.method == "POST":
        template = "backoffice/partials/team_members.html"
    return render(request, template, context, status=status)


@supervisor_required
@require_http_methods(["GET", "POST"])
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team(request, team_id)
    if request.method == "GET":
        return _detail(request, team)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            services.team_update(actor=viewer(request), team=team, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The team was saved."))
            return redirect("backoffice:team_detail", team_id=team.pk)
    # A full page even for htmx: the rename form is not inside the members fragment.
    return render(
        request,
        "backoffice/team_detail.html",
        {"team": team, "form": form, "member_form": TeamMemberForm(team=team)},
        status=400,
    )


@supervisor_required
@require_POST
def team_member_add(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team(request, team_id)
    form = TeamMemberForm(request.POST, team=team)
    if form.is_valid():
        try:
            services.team_add_member(
                actor=viewer(request),
                team=team,
                user=form.cleaned_data["user"],
                is_lead=form.cleaned_data["is_lead"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not request.headers.get("HX-Request"):
                messages.success(request, _("The agent joined the team."))
                return redirect("backoffice:team_detail", team_id=team.pk)
            return _detail(request, _team(request, team_id))
    return _detail(request, team, member_form=form, status=400)


def _member(team: Team, request: HttpRequest) -> User:
    raw = request.POST.get("user", "")
    user = User.objects.filter(pk=int(raw), teams=team).first() if raw.isdigit() else None
    if user is None:
        raise Http404
    return user


@supervisor_required
@require_POST
def team_member_remove(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team(request, team_id)
    services.team_remove_member(actor=viewer(request), team=team, user=_member(team, request))
    if not request.headers.get("HX-Request"):
        messages.success(request, _("The agent left the team."))
        return redirect("backoffice:team_detail", team_id=team.pk)
    return _detail(request, _team(request, team_id))


@supervisor_required
@require_POST
def team_member_lead(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team(request, team_id)
    services.team_set_lead(
        actor=viewer(request),
        team=team,
        user=_member(team, request),
        is_lead=request.POST.get("is_lead") == "1",
    )
    if not request.headers.get("HX-Request"):
        messages.success(request, _("The team lead was changed."))
        return redirect("backoffice:team_detail", team_id=team.pk)
    return _detail(request, _team(request, team_id))
