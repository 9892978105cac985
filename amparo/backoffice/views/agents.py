"""Agents: list, invite, edit role, deactivate, reset two-factor, sign out everywhere."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts import services
from amparo.accounts.forms import add_domain_error
from amparo.accounts.sessions import session_list
from amparo.backoffice import selectors
from amparo.backoffice.forms import AgentEditForm, AgentInviteForm
from amparo.backoffice.views.common import viewer
from amparo.core.auth import supervisor_required
from amparo.core.errors import DomainError, NotFound


@supervisor_required
@require_http_methods(["GET"])
def agent_list(request: HttpRequest) -> HttpResponse:
    agents = selectors.agents_for_management(viewer=viewer(request))
    return render(request, "backoffice/agent_list.html", {"agents": agents})


@sensitive_post_parameters("password")
@supervisor_required
@require_http_methods(["GET", "POST"])
def agent_new(request: HttpRequest) -> HttpResponse:
    me = viewer(request)
    form = AgentInviteForm(request.POST or None, viewer=me)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                agent = services.agent_invite(
                    actor=me,
                    email=data["email"],
                    name=data["name"],
                    role=data["role"],
                    teams=list(data["teams"]),
                    password=data["password"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if data["password"]:
                    messages.success(request, _("%(name)s can now sign in.") % {"name": agent})
                else:
                    messages.success(
                        request,
                        _("%(name)s was invited: an email with a link is on its way.")
                        % {"name": agent},
                    )
                return redirect("backoffice:agent_detail", agent_id=agent.pk)
        status = 400
    return render(request, "backoffice/agent_new.html", {"form": form}, status=status)


@supervisor_required
@require_http_methods(["GET", "POST"])
def agent_detail(request: HttpRequest, agent_id: int) -> HttpResponse:
    me = viewer(request)
    try:
        agent = selectors.agent_for_management(viewer=me, agent_id=agent_id)
    except NotFound as exc:
        raise Http404 from exc
    form = AgentEditForm(
        request.POST or None, viewer=me, initial={"name": agent.name, "role": agent.role}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agent_update(actor=me, agent=agent, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The agent was saved."))
                return redirect("backoffice:agent_detail", agent_id=agent.pk)
        status = 400
    return render(
        request,
        "backoffice/agent_detail.html",
        {
            "agent": agent,
            "form": form,
            "sessions": session_list(user=agent),
            "may_manage": agent.role != "admin" or me.role == "admin",
        },
        status=status,
    )


ACTIONS = {
    "deactivate": (
        lambda me, agent: services.agent_set_active(actor=me, agent=agent, active=False),
        gettext_lazy("The agent was deactivated and signed out everywhere."),
    ),
    "activate": (
        lambda me, agent: services.agent_set_active(actor=me, agent=agent, active=True),
        gettext_lazy("The agent can sign in again."),
    ),
    "reset_two_factor": (
        lambda me, agent: services.agent_reset_two_factor(actor=me, agent=agent),
        gettext_lazy(
            "Two-factor sign-in was turned off for the agent, who was signed out everywhere."
        ),
    ),
    "revoke_sessions": (
        lambda me, agent: services.agent_revoke_sessions(actor=me, agent=agent),
        gettext_lazy("The agent was signed out of every browser."),
    ),
    "unlock": (
        lambda me, agent: services.agent_unlock(actor=me, agent=agent),
        gettext_lazy("Sign-in is unlocked for the agent."),
    ),
}


@supervisor_required
@require_POST
def agent_action(request: HttpRequest, agent_id: int, action: str) -> HttpResponse:
    me = viewer(request)
    if action not in ACTIONS:
        raise Http404
    try:
        agent = selectors.agent_for_management(viewer=me, agent_id=agent_id)
    except NotFound as exc:
        raise Http404 from exc
    run, done = ACTIONS[action]
    try:
        run(me, agent)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done))
    return redirect("backoffice:agent_detail", agent_id=agent.pk)
