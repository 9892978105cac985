"""Queue filters: the built-in views, and the filter form behind ad-hoc and saved views."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.accounts.models import User
from amparo.accounts.selectors import team_ids_for
from amparo.desk.models import SortOrder
from amparo.search.selectors import ticket_text_q
from amparo.tickets.models import OPEN_STATUSES, Channel, Priority, Status
from amparo.tickets.selectors import TicketFilters

RECENTLY_SOLVED_DAYS = 7


@dataclass
class QueueSpec:
    """What a queue shows: selector filters, an extra condition, free text and a sort."""

    filters: TicketFilters = field(default_factory=TicketFilters)
    extra: Q = field(default_factory=Q)
    text: str = ""
    sort: str = SortOrder.UPDATED_DESC


@dataclass(frozen=True)
class BuiltinView:
    key: str
    label: Any
    build: Callable[[User], QueueSpec]


def _open(**kwargs: Any) -> TicketFilters:
    return TicketFilters(status=list(OPEN_STATUSES), **kwargs)


def _solved_since(cutoff: datetime.datetime) -> Q:
    # Solving a ticket updates it, so updated_at >= solved_at: the redundant updated_at bound
    # lets the (team|assignee|status, updated_at) indexes find the rows (439 → 51 ms for a
    # team agent at a million tickets on PostgreSQL) instead of filtering every team ticket.
    return Q(solved_at__gte=cutoff, updated_at__gte=cutoff)


BUILTIN_VIEWS = [
    BuiltinView("mine", _("Assigned to me"), lambda agent: QueueSpec(_open(assignee_id=agent.pk))),
    BuiltinView("unassigned", _("Unassigned"), lambda agent: QueueSpec(_open(unassigned=True))),
    BuiltinView(
        "teams",
        _("My teams"),
        lambda agent: QueueSpec(_open(), extra=Q(team_id__in=team_ids_for(agent))),
    ),
    BuiltinView("open", _("All open"), lambda agent: QueueSpec(_open())),
    BuiltinView(
        "pending",
        pgettext_lazy("queue", "Pending"),
        lambda agent: QueueSpec(TicketFilters(status=[Status.PENDING])),
    ),
    BuiltinView(
        "solved",
        _("Recently solved"),
        lambda agent: QueueSpec(
            TicketFilters(status=[Status.SOLVED, Status.CLOSED]),
            extra=_solved_since(timezone.now() - datetime.timedelta(days=RECENTLY_SOLVED_DAYS)),
        ),
    ),
]
BUILTIN_BY_KEY = {view.key: view for view in BUILTIN_VIEWS}
DEFAULT_VIEW = "mine"


class QueueFilterForm(forms.Form):
    """Filters an agent narrows a queue with; also what a saved view stores."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    status = forms.MultipleChoiceField(label=_("Status"), choices=Status.choices, required=False)
    priority = forms.TypedMultipleChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, required=False
    )
    channel = forms.MultipleChoiceField(label=_("Channel"), choices=Channel.choices, required=False)
    # Free-form but checked: "mine"/"none"/a team id, and "me"/"none"/an agent id. A stale id
    # simply matches nothing, so saved views survive a deleted team or agent.
    team = forms.RegexField(label=_("Team"), regex=r"^(mine|none|[0-9]{1,12})$", required=False)
    assignee = forms.RegexField(
        label=_("Assignee"), regex=r"^(me|none|[0-9]{1,12})$", required=False
    )
    tag = forms.SlugField(label=_("Tag"), max_length=50, required=False, allow_unicode=True)
    created_after = forms.DateField(label=_("Created from"), required=False)
    created_before = forms.DateField(label=_("Created until"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SortOrder.choices, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        after, before = data.get("created_after"), data.get("created_before")
        if after and before and after > before:
            self.add_error("created_before", _("The end date is before the start date."))
        return data

    def is_filtering(self) -> bool:
        return self.is_bound and any(
            self.cleaned_data.get(name) for name in self.fields if name != "sort"
        )

    def spec(self, agent: User) -> QueueSpec:
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        f = TicketFilters(
            status=list(data.get("status") or []),
            priority=list(data.get("priority") or []),
            channel=list(data.get("channel") or []),
            tag=data.get("tag") or None,
        )
        extra = Q()
        team = data.get("team") or ""
        if team == "none":
            f.no_team = True
        elif team == "mine":
            extra &= Q(team_id__in=team_ids_for(agent))
        elif team:
            f.team_id = int(team)
        assignee = data.get("assignee") or ""
        if assignee == "none":
            f.unassigned = True
        elif assignee == "me":
            f.assignee_id = agent.pk
        elif assignee:
            f.assignee_id = int(assignee)
        if data.get("created_after"):
            f.created_after = datetime.datetime.combine(data["created_after"], datetime.time(), tz)
        if data.get("created_before"):
            end = data["created_before"] + datetime.timedelta(days=1)
            f.created_before = datetime.datetime.combine(end, datetime.time(), tz)
        return QueueSpec(
            filters=f,
            extra=extra,
            text=(data.get("q") or "").strip(),
            sort=data.get("sort") or SortOrder.UPDATED_DESC,
        )

    def to_json(self) -> dict[str, Any]:
        """The cleaned values as JSON, for a saved view (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "sort" or value in (None, "", []):
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            out[name] = value
        return out


def text_condition(text: str) -> Q:
    """Free-text search of a queue: "#123" is ticket 123; words, "phrases" and a last word
    typed in part match subjects, messages and internal notes through the search index
    (amparo.search), accents and case ignored. Visibility stays with the queue's queryset."""
    return ticket_text_q(text, include_internal=True)
