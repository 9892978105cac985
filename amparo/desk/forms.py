"""Forms of the desk pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from amparo.desk.models import SortOrder
from amparo.tickets.models import Priority, Status

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)d files.") % {"n": MAX_FILES}, code="too_many"
            )
        for f in files:
            if f.size > settings.ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is too large.") % {"name": f.name}, code="too_large"
                )
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("reply", _("Public reply")), ("note", _("Internal note"))], initial="reply"
    )
    body = forms.CharField(label=_("Message"), required=False, max_length=100_000)
    attachments = MultipleFileField(label=_("Attach files"), required=False)
    status_after = forms.ChoiceField(
        label=_("Then set status"),
        required=False,
        choices=[
            ("", _("Keep status")),
            (Status.OPEN, Status.OPEN.label),
            (Status.PENDING, Status.PENDING.label),
            (Status.ON_HOLD, Status.ON_HOLD.label),
            (Status.SOLVED, Status.SOLVED.label),
        ],
    )

    # The newest message the agent's page showed; a newer reply by someone else is a collision.
    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    send_anyway = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("body") or "").strip() and not data.get("attachments"):
            self.add_error("body", _("Write a message or attach a file."))
        return data


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into ticket number"), min_value=1)


class BulkForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign")),
        ("status", _("Set status")),
        ("priority", _("Set priority")),
        ("tag", _("Add tag")),
        ("merge", _("Merge into")),
    ]

    tickets = forms.TypedMultipleChoiceField(coerce=int, required=True)
    action = forms.ChoiceField(choices=ACTIONS)
    assignee = forms.CharField(required=False, max_length=20)
    status = forms.ChoiceField(choices=[("", "—"), *Status.choices], required=False)
    priority = forms.TypedChoiceField(
        choices=[("", "—"), *Priority.choices], coerce=int, required=False, empty_value=None
    )
    tag = forms.SlugField(max_length=50, required=False, allow_unicode=True)
    target = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Any id parses; the service checks each ticket against what the agent may see.
        raw = self.data.getlist("tickets") if hasattr(self.data, "getlist") else []
        self.fields["tickets"].choices = [(v, v) for v in raw]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        required = {"assign": "assignee", "status": "status", "priority": "priority"}
        required.update({"tag": "tag", "merge": "target"})
        field = required.get(action or "")
        if field and data.get(field) in (None, ""):
            self.add_error(field, _("This field is required."))
        return data


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("View name"), max_length=80)
    is_shared = forms.BooleanField(label=_("Share with every agent"), required=False)
    query = forms.CharField(required=False, max_length=4000)
    sort = forms.ChoiceField(choices=SortOrder.choices, required=False)
