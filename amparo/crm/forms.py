"""Forms of the agent CRM pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

import datetime
import decimal
import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.core.errors import DomainError
from amparo.core.models import CustomFieldDefinition, CustomFieldType
from amparo.crm.models import IdentityKind, Organization
from amparo.crm.normalize import normalize_email, normalize_phone
from amparo.crm.selectors import organization_by_name

CUSTOM_PREFIX = "cf_"


@cache
def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def _language_choices() -> list[tuple[str, Any]]:
    return [("", _("Not set")), *settings.LANGUAGES]


class CustomFieldsMixin(forms.Form):
    """Adds one input per custom field definition of ``target``, named ``cf_<key>``."""

    custom_target = ""

    def add_custom_fields(self, current: dict[str, Any]) -> None:
        self.custom_definitions = list(
            CustomFieldDefinition.objects.filter(target=self.custom_target).order_by(
                "position", "key"
            )
        )
        for definition in self.custom_definitions:
            name = CUSTOM_PREFIX + definition.key
            self.fields[name] = _custom_form_field(definition)
            if definition.key in current and name not in self.initial:
                value = current[definition.key]
                if definition.field_type == CustomFieldType.BOOLEAN:
                    value = "true" if value else "false"
                self.initial[name] = value

    @property
    def custom_bound_fields(self) -> list[forms.BoundField]:
        return [self[CUSTOM_PREFIX + d.key] for d in self.custom_definitions]

    def custom_values(self) -> dict[str, Any]:
        """Cleaned values for clean_custom_fields: None clears a field."""
        values: dict[str, Any] = {}
        for definition in self.custom_definitions:
            value = self.cleaned_data.get(CUSTOM_PREFIX + definition.key)
            if value in ("", None):
                values[definition.key] = None
            elif definition.field_type == CustomFieldType.BOOLEAN:
                values[definition.key] = value == "true"
            elif definition.field_type == CustomFieldType.NUMBER:
                assert isinstance(value, decimal.Decimal)
                values[definition.key] = (
                    int(value) if value == value.to_integral() else float(value)
                )
            elif definition.field_type == CustomFieldType.DATE:
                assert isinstance(value, datetime.date)
                values[definition.key] = value.isoformat()
            else:
                values[definition.key] = value
        return values


def _custom_form_field(definition: CustomFieldDefinition) -> forms.Field:
    common: dict[str, Any] = {"label": definition.label, "required": definition.required}
    kind = definition.field_type
    if kind == CustomFieldType.NUMBER:
        return forms.DecimalField(max_digits=30, decimal_places=10, localize=True, **common)
    if kind == CustomFieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == CustomFieldType.BOOLEAN:
        choices = [("", _("Not set")), ("true", _("Yes")), ("false", _("No"))]
        return forms.ChoiceField(choices=choices, **common)
    if kind == CustomFieldType.CHOICE:
        options = [(c, c) for c in definition.choices]
        return forms.ChoiceField(choices=[("", _("Not set")), *options], **common)
    return forms.CharField(max_length=2000, **common)


class ContactForm(CustomFieldsMixin):
    custom_target = "contact"

    # htmx focuses [autofocus] in swapped-in content: keyboard users land in the form.
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    organization = forms.CharField(
        label=_("Organization"),
        max_length=200,
        required=False,
        help_text=_("Type the organization's name; leave empty for none."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, viewer: User, current: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["time_zone"].choices = [("", _("Not set")), *_time_zone_choices()]  # type: ignore[attr-defined]
        # Suggestions while typing: htmx fills the <datalist> the form template provides.
        self.fields["organization"].widget.attrs.update(
            {
                "list": "organization-options",
                "autocomplete": "off",
                "hx-get": reverse("crm:organization_options"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#organization-options",
                "hx-swap": "innerHTML",
            }
        )
        self.add_custom_fields(current)

    def clean_organization(self) -> Organization | None:
        name = self.cleaned_data["organization"].strip()
        if not name:
            return None
        org = organization_by_name(viewer=self.viewer, name=name)
        if org is None:
            raise forms.ValidationError(
                _("There is no organization called “%(name)s”; create it first."),
                params={"name": name},
            )
        return org

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "organization": data["organization"],
            "language": data["language"],
            "time_zone": data["time_zone"],
            "notes": data["notes"],
            "custom_fields": self.custom_values(),
        }


class ContactCreateForm(ContactForm):
    email = forms.CharField(label=_("Email"), max_length=320, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    field_order = ["name", "email", "phone", "organization", "language", "time_zone", "notes"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name", "").strip() or data.get("email") or data.get("phone")):
            raise forms.ValidationError(_("Give at least a name, an email or a phone number."))
        return data

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        return _normalized(normalize_email, value) if value else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return _normalized(normalize_phone, value) if value else ""

    def identities(self) -> list[tuple[str, str]]:
        pairs = []
        if self.cleaned_data["email"].strip():
            pairs.append((IdentityKind.EMAIL.value, self.cleaned_data["email"]))
        if self.cleaned_data["phone"].strip():
            pairs.append((IdentityKind.PHONE.value, self.cleaned_data["phone"]))
        return pairs


def _normalized(normalize: Callable[[str], str], value: str) -> str:
    try:
        return normalize(value)
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from exc


class IdentityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IdentityKind.choices)
    value = forms.CharField(label=_("Address, number or handle"), max_length=320)


class OrganizationForm(CustomFieldsMixin):
    custom_target = "organization"

    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )
    domains = forms.CharField(
        label=_("Email domains"),
        required=False,
        max_length=2000,
        help_text=_(
            "Separated by commas or spaces. New contacts with an address at one of them join "
            "the organization."
        ),
    )
    shares_tickets = forms.BooleanField(
        label=_("Members see each other's tickets in the portal"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, current: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.add_custom_fields(current)

    def clean_domains(self) -> list[str]:
        raw = self.cleaned_data["domains"].replace(",", " ").split()
        domains = []
        for item in raw:
            domain = item.strip().lower().lstrip("@")
            if "." not in domain or "/" in domain or len(domain) > 253:
                raise forms.ValidationError(
                    _("“%(domain)s” is not a domain name."), params={"domain": item}
                )
            domains.append(domain)
        return domains

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "domains": data["domains"],
            "shares_tickets": data["shares_tickets"],
            "notes": data["notes"],
            "custom_fields": self.custom_values(),
        }


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Shows a service's error beside the input it names, or above the form."""
    field = exc.field or ""
    if field.startswith("custom_fields."):
        field = CUSTOM_PREFIX + field.removeprefix("custom_fields.")
    form.add_error(field if field in form.fields else None, exc.message)


def focus_first_error(form: forms.Form) -> None:
    """Moves autofocus to the first input with an error, so htmx puts the keyboard there."""
    first = next((name for name in form.fields if name in form.errors), None)
    if first is None:
        return
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    form.fields[first].widget.attrs["autofocus"] = True
