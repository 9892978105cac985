"""Signing in to the portal: by an e-mailed link, or by password once the customer set one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.models import Role
from amparo.core.errors import DomainError, NotFound
from amparo.portal.access import client_ip, not_for_agents, safe_next
from amparo.portal.forms import PasswordSignInForm, SignInForm, add_domain_error
from amparo.portal.selectors import contact_for_user
from amparo.portal.services import (
    RateLimited,
    password_sign_in_allowed,
    sign_in_link_check,
    sign_in_link_consume,
    sign_in_link_request,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _render_sign_in(
    request: HttpRequest,
    *,
    link_form: SignInForm | None = None,
    password_form: PasswordSignInForm | None = None,
    status: int = 200,
) -> HttpResponse:
    next_path = request.POST.get("next") or request.GET.get("next") or ""
    context = {
        "link_form": link_form or SignInForm(),
        "password_form": password_form or PasswordSignInForm(prefix="pw"),
        "next": safe_next(request, next_path) if next_path else "",
    }
    return render(request, "portal/sign_in.html", context, status=status)


@not_for_agents
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        if request.user.is_authenticated:
            return redirect(safe_next(request, request.GET.get("next")))
        return _render_sign_in(request)
    form = SignInForm(request.POST)
    if not form.is_valid():
        return _render_sign_in(request, link_form=form, status=400)
    try:
        sign_in_link_request(
            email=form.cleaned_data["email"],
            ip=client_ip(request),
            language=translation.get_language() or "",
            next_path=safe_next(request, request.POST.get("next")),
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_sign_in(request, link_form=form, status=exc.status)
    # The same answer for every address, so the form cannot tell who is a customer.
    request.session["portal_link_email"] = form.cleaned_data["email"]
    return redirect("portal:sign_in_sent")


@not_for_agents
@require_http_methods(["GET"])
def sign_in_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get("portal_link_email", "")
    return render(request, "portal/sign_in_sent.html", {"email": email})


@not_for_agents
@require_POST
def sign_in_password(request: HttpRequest) -> HttpResponse:
    form = PasswordSignInForm(request.POST, prefix="pw")
    if not form.is_valid():
        return _render_sign_in(request, password_form=form, status=400)
    email = form.cleaned_data["email"]
    try:
        password_sign_in_allowed(email=email, ip=client_ip(request))
    except RateLimited as exc:
        form.add_error(None, exc.message)
        return _render_sign_in(request, password_form=form, status=exc.status)
    user = authenticate(request, username=email.lower(), password=form.cleaned_data["password"])
    # Agents sign in at /account/ (with their second factor), never here.
    if user is None or user.role != Role.CUSTOMER or contact_for_user(user) is None:
        form.add_error(None, _("The email or the password is not right."))
        return _render_sign_in(request, password_form=form, status=400)
    login(request, user, backend=MODEL_BACKEND)
    return redirect(safe_next(request, request.POST.get("next")))


@not_for_agents
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    # Opening the link only shows a button: mail scanners that fetch links must not use it up.
    try:
        if request.method == "GET":
            sign_in_link_check(token=token)
            response = render(request, "portal/sign_in_link.html", {"token": token})
            add_never_cache_headers(response)
            return response
        user, link = sign_in_link_consume(token=token)
    except (NotFound, DomainError):
        response = render(request, "portal/sign_in_invalid.html", status=404)
        add_never_cache_headers(response)
        return response
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, _("You are signed in."))
    if link.ticket_id:
        return redirect("portal:ticket", ticket_id=link.ticket_id)
    return redirect(safe_next(request, link.next_path))


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(reverse("portal:home"))
