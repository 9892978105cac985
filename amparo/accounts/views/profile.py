"""The signed-in agent's own profile, availability and password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts import services
from amparo.accounts.forms import (
    AvailabilityForm,
    PasswordChangeForm,
    ProfileForm,
    add_domain_error,
)
from amparo.accounts.models import User
from amparo.accounts.twofactor import backup_codes_left, two_factor_enabled
from amparo.core.auth import agent_required
from amparo.core.errors import DomainError


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@agent_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    initial = {
        "name": user.name,
        "language": user.language,
        "time_zone": user.time_zone,
        "signature": user.signature,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.profile_update(user=user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if user.language:
                    # The confirmation is already in the language just chosen.
                    translation.activate(user.language)
                messages.success(request, _("Your profile was saved."))
                return redirect("accounts:profile")
        status = 400
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "two_factor_on": two_factor_enabled(user),
            "backup_codes_left": backup_codes_left(user),
        },
        status=status,
    )


@agent_required
@require_POST
def availability(request: HttpRequest) -> HttpResponse:
    """The quick switch of the desk header. htmx gets the switch back; browsers a redirect."""
    user = _me(request)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        services.availability_set(user=user, availability=form.cleaned_data["availability"])
    status = 200 if form.is_valid() else 400
    if request.headers.get("HX-Request"):
        return render(
            request,
            "accounts/partials/availability.html",
            status=status,
        )
    if form.is_valid():
        messages.success(
            request,
            _("You are now %(availability)s.") % {"availability": user.get_availability_display()},
        )
    next_path = request.POST.get("next", "")
    if next_path.startswith("/") and url_has_allowed_host_and_scheme(
        next_path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_path)
    return redirect("accounts:profile")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@agent_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.password_change(
                    user=user,
                    current_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                    keep_session_key=request.session.session_key,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(
                    request, _("Your password was changed. Other browsers were signed out.")
                )
                return redirect("accounts:profile")
        status = 400
    return render(request, "accounts/password_change.html", {"form": form}, status=status)
