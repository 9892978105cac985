"""Macros, tags and custom field definitions: list, create, edit, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.forms import add_domain_error
from amparo.backoffice import selectors, services
from amparo.backoffice.forms import CustomFieldEditForm, CustomFieldForm, MacroForm, TagForm
from amparo.backoffice.views.common import viewer
from amparo.core.auth import supervisor_required
from amparo.core.errors import DomainError, NotFound
from amparo.tickets.models import Macro

T = TypeVar("T")


def _get(selector: Callable[..., T], request: HttpRequest, **ids: int) -> T:
    try:
        return selector(viewer=viewer(request), **ids)
    except NotFound as exc:
        raise Http404 from exc


# --- Macros ---------------------------------------------------------------------------------------


@supervisor_required
@require_http_methods(["GET"])
def macro_list(request: HttpRequest) -> HttpResponse:
    macros = selectors.macros_for_management(viewer=viewer(request))
    return render(request, "backoffice/macro_list.html", {"macros": macros})


def _macro_initial(macro: Macro) -> dict[str, object]:
    actions = macro.actions or {}
    return {
        "name": macro.name,
        "body": macro.body,
        "team": macro.team_id,
        "status": actions.get("status", ""),
        "priority": actions.get("priority", ""),
        "assign_team": actions.get("team_id"),
        "add_tags": ", ".join(actions.get("add_tags", [])),
        "is_active": macro.is_active,
    }


@supervisor_required
@require_http_methods(["GET", "POST"])
def macro_edit(request: HttpRequest, macro_id: int | None = None) -> HttpResponse:
    macro = _get(selectors.macro_for_management, request, macro_id=macro_id) if macro_id else None
    initial = _macro_initial(macro) if macro else {"is_active": True}
    form = MacroForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.macro_save(actor=viewer(request), macro=macro, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The macro was saved."))
                return redirect("backoffice:macro_list")
        status = 400
    return render(
        request, "backoffice/macro_form.html", {"form": form, "macro": macro}, status=status
    )


@supervisor_required
@require_POST
def macro_delete(request: HttpRequest, macro_id: int) -> HttpResponse:
    macro = _get(selectors.macro_for_management, request, macro_id=macro_id)
    services.macro_delete(actor=viewer(request), macro=macro)
    messages.success(request, _("The macro was deleted."))
    return redirect("backoffice:macro_list")


# --- Tags -----------------------------------------------------------------------------------------


@supervisor_required
@require_http_methods(["GET", "POST"])
def tag_list(request: HttpRequest) -> HttpResponse:
    form = TagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tag = services.tag_save(actor=viewer(request), **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The tag %(name)s was created.") % {"name": tag})
                return redirect("backoffice:tag_list")
        status = 400
    tags = selectors.tags_for_management(viewer=viewer(request))
    return render(request, "backoffice/tag_list.html", {"tags": tags, "form": form}, status=status)


@supervisor_required
@require_http_methods(["GET", "POST"])
def tag_edit(request: HttpRequest, tag_id: int) -> HttpResponse:
    tag = _get(selectors.tag_for_management, request, tag_id=tag_id)
    form = TagForm(request.POST or None, initial={"name": tag.name, "color": tag.color})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.tag_save(actor=viewer(request), tag=tag, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The tag was saved."))
                return redirect("backoffice:tag_list")
        status = 400
    return render(request, "backoffice/tag_form.html", {"form": form, "tag": tag}, status=status)


@supervisor_required
@require_POST
def tag_delete(request: HttpRequest, tag_id: int) -> HttpResponse:
    tag = _get(selectors.tag_for_management, request, tag_id=tag_id)
    services.tag_delete(actor=viewer(request), tag=tag)
    messages.success(request, _("The tag was deleted."))
    return redirect("backoffice:tag_list")


# --- Custom fields --------------------------------------------------------------------------------


@supervisor_required
@require_http_methods(["GET"])
def field_list(request: HttpRequest) -> HttpResponse:
    fields = selectors.custom_fields_for_management(viewer=viewer(request))
    return render(request, "backoffice/field_list.html", {"fields": fields})


@supervisor_required
@require_http_methods(["GET", "POST"])
def field_new(request: HttpRequest) -> HttpResponse:
    form = CustomFieldForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.custom_field_create(actor=viewer(request), **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The field was created."))
                return redirect("backoffice:field_list")
        status = 400
    return render(request, "backoffice/field_form.html", {"form": form}, status=status)


@supervisor_required
@require_http_methods(["GET", "POST"])
def field_edit(request: HttpRequest, field_id: int) -> HttpResponse:
    definition = _get(selectors.custom_field_for_management, request, field_id=field_id)
    initial = {
        "label": definition.label,
        "choices": "\n".join(definition.choices or []),
        "required": definition.required,
        "visible_to_customers": definition.visible_to_customers,
        "position": definition.position,
    }
    form = CustomFieldEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.custom_field_update(
                    actor=viewer(request), definition=definition, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The field was saved."))
                return redirect("backoffice:field_list")
        status = 400
    return render(
        request,
        "backoffice/field_form.html",
        {"form": form, "definition": definition},
        status=status,
    )


@supervisor_required
@require_POST
def field_delete(request: HttpRequest, field_id: int) -> HttpResponse:
    definition = _get(selectors.custom_field_for_management, request, field_id=field_id)
    services.custom_field_delete(actor=viewer(request), definition=definition)
    messages.success(request, _("The field was deleted."))
    return redirect("backoffice:field_list")
