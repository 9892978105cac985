"""Forms of the management pages. They parse input; the services decide and validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Role, Team, User
from amparo.core.models import CustomFieldTarget, CustomFieldType
from amparo.tickets.models import Priority, Status

AGENT_ROLES = [(Role.AGENT, Role.AGENT.label), (Role.SUPERVISOR, Role.SUPERVISOR.label)]


def role_choices(viewer: User) -> list[tuple[str, Any]]:
    # Only administrators may hand out the administrator role.
    if viewer.role == Role.ADMIN:
        return [*AGENT_ROLES, (Role.ADMIN, Role.ADMIN.label)]
    return list(AGENT_ROLES)


class ColorInput(forms.TextInput):
    input_type = "color"


class AgentInviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        help_text=_("Leave empty to email the agent a link to choose their own."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(viewer)  # type: ignore[attr-defined]


class AgentEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, viewer: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(viewer)  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Agent"), queryset=User.objects.none(), empty_label=_("Choose an agent")
    )
    is_lead = forms.BooleanField(label=_("Team lead"), required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(role__in=[Role.ADMIN, Role.SUPERVISOR, Role.AGENT], is_active=True)
            .exclude(teams=team)
            .order_by("name")
        )


class MacroForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    body = forms.CharField(
        label=_("Reply text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Placeholders: {{ customer.first_name }}, {{ customer.name }}, {{ ticket.number }}, "
            "{{ ticket.subject }}, {{ agent.name }}, {{ agent.first_name }}, {{ agent.signature }}."
        ),
    )
    team = forms.ModelChoiceField(
        label=_("Who can use it"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("Everyone"),
        help_text=_("Choose a team to show this macro to its members only."),
    )
    status = forms.ChoiceField(
        label=_("Set status"), required=False, choices=[("", _("Leave as is")), *Status.choices]
    )
    priority = forms.TypedChoiceField(
        label=_("Set priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Leave as is")), *Priority.choices],
    )
    assign_team = forms.ModelChoiceField(
        label=_("Move to team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("Leave as is"),
    )
    add_tags = forms.CharField(
        label=_("Add tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_add_tags(self) -> list[str]:
        raw = self.cleaned_data.get("add_tags") or ""
        return [t.strip() for t in raw.split(",") if t.strip()]


class TagForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    color = forms.CharField(label=_("Colour"), max_length=7, initial="#64748b", widget=ColorInput)


class CustomFieldForm(forms.Form):
    target = forms.ChoiceField(label=_("Applies to"), choices=CustomFieldTarget.choices)
    key = forms.CharField(
        label=_("Key"),
        max_length=50,
        help_text=_("Used by the API and imports, e.g. contract_number. It cannot change later."),
    )
    label = forms.CharField(label=_("Label"), max_length=100)
    field_type = forms.ChoiceField(label=_("Type"), choices=CustomFieldType.choices)
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the Choice type: one option per line."),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    visible_to_customers = forms.BooleanField(label=_("Shown to customers"), required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, initial=0)

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("choices") or "").splitlines()]


class CustomFieldEditForm(CustomFieldForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("target", "key", "field_type"):
            del self.fields[name]


class BrandingForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=120)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    primary_color = forms.CharField(label=_("Main colour"), max_length=7, widget=ColorInput)
    accent_color = forms.CharField(label=_("Accent colour"), max_length=7, widget=ColorInput)
    support_email = forms.EmailField(label=_("Support email"), required=False)
