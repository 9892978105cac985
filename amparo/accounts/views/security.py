"""Two-factor set-up and the list of the agent's signed-in browsers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts import twofactor
from amparo.accounts.emails import company_name
from amparo.accounts.forms import PasswordConfirmForm, TwoFactorConfirmForm, add_domain_error
from amparo.accounts.models import User
from amparo.accounts.sessions import (
    session_list,
    session_revoke,
    session_revoke_others,
)
from amparo.core.auth import agent_required
from amparo.core.errors import DomainError

CODES_KEY = "_amparo_new_backup_codes"


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@never_cache
@agent_required
@require_http_methods(["GET"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": twofactor.two_factor_enabled(user),
            "codes_left": twofactor.backup_codes_left(user),
            # Shown once, right after they were made; never stored in the clear anywhere else.
            "new_codes": request.session.pop(CODES_KEY, None),
            "disable_form": PasswordConfirmForm(),
        },
    )


@never_cache
@agent_required
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    if twofactor.two_factor_enabled(user):
        return redirect("accounts:two_factor")
    device = twofactor.totp_pending(user=user)
    if device is None or (request.method == "GET" and request.GET.get("restart")):
        device = twofactor.totp_begin(user=user)
    form = TwoFactorConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = twofactor.totp_confirm(user=user, token=form.cleaned_data["token"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                request.session[CODES_KEY] = codes
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("accounts:two_factor")
        status = 400
    url = twofactor.otpauth_url(device, issuer=company_name())
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_uri": twofactor.qr_data_uri(url),
            "manual_key": twofactor.manual_key(device),
        },
        status=status,
    )


@sensitive_post_parameters("password")
@agent_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = PasswordConfirmForm(request.POST)
    if form.is_valid():
        try:
            twofactor.two_factor_disable(user=user, password=form.cleaned_data["password"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": twofactor.two_factor_enabled(user),
            "codes_left": twofactor.backup_codes_left(user),
            "disable_form": form,
        },
        status=400,
    )


@agent_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    try:
        request.session[CODES_KEY] = twofactor.backup_codes_regenerate(user=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("New backup codes were made; the old ones no longer work."))
    return redirect("accounts:two_factor")


@never_cache
@agent_required
@require_http_methods(["GET"])
def sessions(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": session_list(user=user), "current_key": request.session.session_key},
    )


@agent_required
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _me(request)
    if not session_revoke(user=user, session_id=session_id):
        raise Http404
    messages.success(request, _("That browser was signed out."))
    return redirect("accounts:sessions")


@agent_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = session_revoke_others(user=_me(request), keep_session_key=request.session.session_key)
    messages.success(request, _("Other browsers signed out: %(count)d.") % {"count": count})
    return redirect("accounts:sessions")
