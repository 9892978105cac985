"""Portal forms. They check shape and size; business rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from amparo.core.errors import DomainError
from amparo.core.models import CustomFieldDefinition, CustomFieldType
from amparo.portal.selectors import customer_custom_fields
from amparo.tickets.files import normalize_filename
from amparo.tickets.services import MAX_BODY_CHARS, NewAttachment

CUSTOM_PREFIX = "cf_"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (within the portal's limits) under one input name."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(item, initial) for item in items if item]
        if len(files) > settings.PORTAL_MAX_FILES:
            raise forms.ValidationError(
                ngettext(
                    "Attach at most %(count)d file.",
                    "Attach at most %(count)d files.",
                    settings.PORTAL_MAX_FILES,
                )
                % {"count": settings.PORTAL_MAX_FILES}
            )
        limit = settings.ATTACHMENT_MAX_BYTES
        for item in files:
            if item.size is not None and item.size > limit:
                raise forms.ValidationError(
                    _("The file %(name)s is larger than the limit of %(limit)s.")
                    % {"name": normalize_filename(item.name or ""), "limit": human_size(limit)}
                )
        return files


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(size // 1024, 1)} KB"


def to_attachments(files: list[UploadedFile]) -> list[NewAttachment]:
    return [NewAttachment(filename=f.name or "", data=f.read()) for f in files]


def _attachments_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Optional. Up to %(count)s files of at most %(size)s each.")
        % {"count": settings.PORTAL_MAX_FILES, "size": human_size(settings.ATTACHMENT_MAX_BYTES)},
    )


def _custom_field(definition: CustomFieldDefinition) -> forms.Field:
    common: dict[str, Any] = {"label": definition.label, "required": definition.required}
    kind = definition.field_type
    if kind == CustomFieldType.NUMBER:
        return forms.FloatField(**common)
    if kind == CustomFieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == CustomFieldType.BOOLEAN:
        return forms.TypedChoiceField(
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda value: value == "yes",
            empty_value=None,
            **common,
        )
    if kind == CustomFieldType.CHOICE:
        choices = [("", "—"), *((str(c), str(c)) for c in definition.choices)]
        return forms.ChoiceField(choices=choices, **common)
    return forms.CharField(max_length=2000, **common)


class TicketForm(forms.Form):
    """A new request. Visitors who are not signed in also give their name and address."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email"), max_length=320)
    subject = forms.CharField(label=_("Subject"), max_length=250)
    description = forms.CharField(
        label=_("How can we help?"),
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tell us what happened and what you expected. Include any error message."),
    )
    # Honeypot: hidden from people by CSS and from assistive technology; bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, anonymous: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        if not anonymous:
            del self.fields["name"]
            del self.fields["email"]
        else:
            self.fields["name"].widget.attrs["autocomplete"] = "name"
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "hp-input"}
        )
        self.custom_definitions = list(customer_custom_fields())
        for definition in self.custom_definitions:
            self.fields[CUSTOM_PREFIX + definition.key] = _custom_field(definition)
        self.fields["attachments"] = _attachments_field()

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    @property
    def custom_bound_fields(self) -> list[forms.BoundField]:
        return [self[CUSTOM_PREFIX + d.key] for d in self.custom_definitions]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        known = {CUSTOM_PREFIX + d.key for d in self.custom_definitions}
        unknown = sorted(k for k in self.data if k.startswith(CUSTOM_PREFIX) and k not in known)
        if unknown:
            raise forms.ValidationError(
                _("Unknown custom field “%(key)s”.") % {"key": unknown[0][len(CUSTOM_PREFIX) :]},
                code="unknown_field",
            )
        return cleaned

    def custom_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for definition in self.custom_definitions:
            value: Any = self.cleaned_data.get(CUSTOM_PREFIX + definition.key)
            if value in (None, ""):
                continue
            if definition.field_type == CustomFieldType.DATE:
                value = value.isoformat()
            elif definition.field_type == CustomFieldType.NUMBER and float(value).is_integer():
                value = int(value)
            values[definition.key] = value
        return values


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_BODY_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = _attachments_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        empty = not (cleaned.get("body") or "").strip() and not cleaned.get("attachments")
        if empty and "body" not in self.errors and "attachments" not in self.errors:
            self.add_error("body", _("Please write a message."))
        return cleaned


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), max_length=320, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class PasswordSignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; avoid common words and your name."),
    )
    confirm = forms.CharField(
        label=_("Repeat the new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("confirm"):
            self.add_error("confirm", _("The two passwords differ."))
        return cleaned


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Shows a service's error on the form field it names, or at the top of the form."""
    field = exc.field or ""
    if field.startswith("custom_fields."):
        field = CUSTOM_PREFIX + field.partition(".")[2]
    aliases = {"body": "description" if "description" in form.fields else "body"}
    field = aliases.get(field, field)
    form.add_error(field if field in form.fields else None, exc.message)
