"""Sign-in (password, then the two-factor step when the user has it on), sign-out, reset."""

from __future__ import annotations

import math
import time
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.models import Device

from amparo.accounts.forms import ChoosePasswordForm, LoginForm, ResetRequestForm, TwoFactorForm
from amparo.accounts.middleware import SEEN_KEY
from amparo.accounts.models import User
from amparo.accounts.sessions import client_ip, session_forget, session_touch
from amparo.accounts.throttle import (
    login_failure_record,
    login_locked_for,
    login_success_record,
    password_reset_allowed,
)
from amparo.accounts.twofactor import (
    two_factor_check,
    two_factor_enabled,
    two_factor_throttled,
)

PENDING_KEY = "_amparo_2fa_pending"
PENDING_SECONDS = 300


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts. For your security, try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. For your security, try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _complete(request: HttpRequest, user: User, device: Device | None = None) -> HttpResponse:
    next_url = _next_url(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        django_otp.login(request, device)
    login_success_record(email=user.email)
    session_touch(request=request, user=user)
    request.session[SEEN_KEY] = int(time.time())
    return HttpResponseRedirect(next_url)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        ip = client_ip(request)
        wait = login_locked_for(email=email, ip=ip)
        if wait:
            # Checked before the password, so a right guess during a lockout tells nothing.
            form.add_error(None, lockout_message(wait))
            status = 429
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if not isinstance(user, User):
                caused = login_failure_record(email=email, ip=ip)
                if caused:
                    form.add_error(None, lockout_message(caused))
                    status = 429
                else:
                    form.add_error(None, _("The email or the password is not right."))
                    status = 400
            elif two_factor_enabled(user):
                request.session.cycle_key()
                request.session[PENDING_KEY] = {"user_id": user.pk, "at": int(time.time())}
                target = reverse("accounts:login_verify")
                return redirect(f"{target}?{urlencode({'next': _next_url(request)})}")
            else:
                return _complete(request, user)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = pending.get("user_id")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.warning(request, _("Your sign-in took too long. Please sign in again."))
        return redirect("accounts:login")
    form = TwoFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        wait = login_locked_for(email=user.email, ip=ip)
        if wait:
            form.add_error(None, lockout_message(wait))
            status = 429
        else:
            # Asked before checking: a wrong code starts django-otp's delay itself.
            throttled = two_factor_throttled(user)
            device = two_factor_check(user=user, token=form.cleaned_data["token"])
            if device is None:
                caused = login_failure_record(email=user.email, ip=ip)
                if caused:
                    request.session.pop(PENDING_KEY, None)
                    form.add_error(None, lockout_message(caused))
                    status = 429
                elif throttled:
                    form.add_error(
                        "token",
                        _(
                            "Several wrong codes in a row: wait a few seconds, then type the current code."
                        ),
                    )
                    status = 400
                else:
                    form.add_error("token", _("That code is not right. Try the next one."))
                    status = 400
            else:
                request.session.pop(PENDING_KEY, None)
                return _complete(request, user, device)
    return render(
        request,
        "accounts/login_verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    session_forget(session_key=request.session.session_key)
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:  # type: ignore[override]
        email = form.cleaned_data["email"]
        if password_reset_allowed(email=email, ip=client_ip(self.request)):
            return super().form_valid(form)
        # Too many requests: the same answer as always, so nothing is revealed, and no email.
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ChoosePasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_http_methods(["GET", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin signs in through our page, so two-factor and lockout apply there too."""
    if request.user.is_authenticated:
        # Signed in but not an administrator: the admin has nothing for them.
        return redirect("/")
    next_url = request.GET.get("next", "/admin/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/admin/"
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
