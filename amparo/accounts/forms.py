"""Forms of the sign-in and profile pages. They parse input; the services decide."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Availability
from amparo.core.errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Shows a service's error beside the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@cache
def time_zone_choices() -> list[tuple[str, Any]]:
    names = sorted(
        n
        for n in zoneinfo.available_timezones()
        if "/" in n and not n.startswith(("Etc/", "SystemV/"))
    )
    return [
        ("", _("Use the company's time zone")),
        ("UTC", "UTC"),
        *[(n, n.replace("_", " ")) for n in names],
    ]


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class TwoFactorConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)
    signature = forms.CharField(
        label=_("Signature"),
        required=False,
        max_length=2000,
        help_text=_("Added to macros that use {{ agent.signature }}."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("Browser's language")),
            # Each language in its own words, so anyone can find theirs.
            *[(code, get_language_info(code)["name_local"]) for code, _n in settings.LANGUAGES],
        ]
        self.fields["time_zone"].choices = time_zone_choices()  # type: ignore[attr-defined]


class AvailabilityForm(forms.Form):
    availability = forms.ChoiceField(label=_("Availability"), choices=Availability.choices)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 10 characters; not a common password nor only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class ResetRequestForm(PasswordResetForm):
    """Django's reset form, sending our email in the user's own language."""

    def get_users(self, email: str) -> Any:
        from amparo.accounts.models import User

        # Unlike Django's default, an invited agent who has not chosen a password yet may ask
        # again once the invitation link has expired.
        for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
            if user.has_usable_password() or user.is_agent:
                yield user

    def save(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        from amparo.accounts.emails import send_with_link

        for user in self.get_users(self.cleaned_data["email"]):
            send_with_link(user=user, template="password_reset")  # type: ignore[arg-type]


class ChoosePasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    pass
