"""Reads of the management pages; each checks that the viewer is a supervisor or admin."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from amparo.accounts.models import Role, Team, TeamMembership, User
from amparo.accounts.services import require_supervisor
from amparo.core.errors import NotFound
from amparo.core.models import CustomFieldDefinition
from amparo.tickets.models import Macro, Tag

AGENT_ROLES = [Role.ADMIN, Role.SUPERVISOR, Role.AGENT]


def agents_for_management(*, viewer: User) -> QuerySet[User]:
    """Every agent, deactivated ones too, with teams and 2FA state, without a query per row."""
    require_supervisor(viewer)
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return (
        User.objects.filter(role__in=AGENT_ROLES)
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related("teams")
        .order_by("-is_active", "name", "id")
    )


def agent_for_management(*, viewer: User, agent_id: int) -> User:
    agent = agents_for_management(viewer=viewer).filter(pk=agent_id).first()
    if agent is None:
        raise NotFound("")
    return agent


def teams_for_management(*, viewer: User) -> QuerySet[Team]:
    require_supervisor(viewer)
    return Team.objects.annotate(member_count=Count("members")).order_by("name")


def team_for_management(*, viewer: User, team_id: int) -> Team:
    require_supervisor(viewer)
    team = (
        Team.objects.prefetch_related(
            Prefetch(
                "teammembership_set",
                queryset=TeamMembership.objects.select_related("user").order_by(
                    "-is_lead", "user__name"
                ),
                to_attr="memberships",
            )
        )
        .filter(pk=team_id)
        .first()
    )
    if team is None:
        raise NotFound("")
    return team


def macros_for_management(*, viewer: User) -> QuerySet[Macro]:
    require_supervisor(viewer)
    return Macro.objects.select_related("team").order_by("name", "id")


def tags_for_management(*, viewer: User) -> QuerySet[Tag]:
    require_supervisor(viewer)
    return Tag.objects.annotate(ticket_count=Count("tickets")).order_by("name")


def custom_fields_for_management(*, viewer: User) -> QuerySet[CustomFieldDefinition]:
    require_supervisor(viewer)
    return CustomFieldDefinition.objects.order_by("target", "position", "key")


def macro_for_management(*, viewer: User, macro_id: int) -> Macro:
    macro = macros_for_management(viewer=viewer).filter(pk=macro_id).first()
    if macro is None:
        raise NotFound("")
    return macro


def tag_for_management(*, viewer: User, tag_id: int) -> Tag:
    require_supervisor(viewer)
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        raise NotFound("")
    return tag


def custom_field_for_management(*, viewer: User, field_id: int) -> CustomFieldDefinition:
    field = custom_fields_for_management(viewer=viewer).filter(pk=field_id).first()
    if field is None:
        raise NotFound("")
    return field
