"""Reads of agents and teams."""

from __future__ import annotations

from django.db.models import QuerySet

from amparo.accounts.models import Role, Team, User


def agent_list(*, viewer: User) -> QuerySet[User]:
    """Agents any agent may look up (names, roles, teams) for assignment."""
    return (
        User.objects.filter(role__in=[Role.ADMIN, Role.SUPERVISOR, Role.AGENT], is_active=True)
        .prefetch_related("teams")
        .order_by("name", "id")
    )


def agent_for_email(address: str) -> User | None:
    """The agent (active or not) who signs in with this address; None for everyone else."""
    if not address:
        return None
    return User.objects.filter(email__iexact=address.strip()).exclude(role=Role.CUSTOMER).first()


def team_list(*, viewer: User) -> QuerySet[Team]:
    return Team.objects.order_by("name")


def team_ids_for(user: User) -> list[int]:
    cached = getattr(user, "_amparo_team_ids", None)
    if cached is None:
        cached = list(user.teams.values_list("id", flat=True))
        user._amparo_team_ids = cached  # type: ignore[attr-defined]
    return cached
