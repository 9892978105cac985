"""Writes for agents, teams and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import (
    ApiToken,
    Availability,
    Role,
    Team,
    TeamMembership,
    TokenScope,
    User,
)
from amparo.accounts.sessions import session_revoke_all, session_revoke_others
from amparo.accounts.throttle import login_lock_clear
from amparo.accounts.twofactor import two_factor_reset
from amparo.core.errors import DomainError, Forbidden, NotFound

TOKEN_PREFIX = "amp_"  # noqa: S105 (a public marker, not a secret)


@transaction.atomic
def agent_create(
    *,
    email: str,
    name: str,
    role: str = Role.AGENT,
    password: str | None = None,
    teams: list[Team] | None = None,
    language: str = "",
    time_zone: str = "",
    validate: bool = True,
) -> User:
    if role not in Role.values or role == Role.CUSTOMER:
        raise DomainError(_("Unknown agent role."), field="role")
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise DomainError(_("A user with this email already exists."), field="email")
    if password and validate:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from exc
    user = User.objects.create_user(
        email,
        password,
        name=name,
        role=role,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        language=language,
        time_zone=time_zone,
    )
    for team in teams or []:
        TeamMembership.objects.create(team=team, user=user)
    return user


def require_supervisor(actor: User | None) -> None:
    """Management services check this too, so no edge can skip it. None means the system."""
    if actor is not None and not (actor.is_active and actor.role in (Role.ADMIN, Role.SUPERVISOR)):
        raise Forbidden(_("Only supervisors and administrators may do this."))


@transaction.atomic
def team_create(*, name: str, description: str = "", actor: User | None = None) -> Team:
    require_supervisor(actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Enter a name."), field="name")
    if Team.objects.filter(name__iexact=name).exists():
        raise DomainError(_("A team with this name already exists."), field="name")
    return Team.objects.create(name=name, description=description)


@transaction.atomic
def team_add_member(
    *, team: Team, user: User, is_lead: bool = False, actor: User | None = None
) -> TeamMembership:
    require_supervisor(actor)
    if not user.is_agent:
        raise DomainError(_("Only agents can join teams."), field="user")
    membership, _created = TeamMembership.objects.get_or_create(
        team=team, user=user, defaults={"is_lead": is_lead}
    )
    return membership


@transaction.atomic
def team_remove_member(*, team: Team, user: User, actor: User | None = None) -> None:
    require_supervisor(actor)
    TeamMembership.objects.filter(team=team, user=user).delete()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str = TokenScope.READ, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Returns the token row and the full token, which is shown once and never stored."""
    if not user.is_agent:
        raise DomainError(_("Only agents can have API tokens."), field="user")
    if scope not in TokenScope.values:
        raise DomainError(_("Unknown token scope."), field="scope")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        scope=scope,
        expires_at=expires_at,
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token matching ``raw``, or None. Compares hashes in constant time."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if not token.is_usable or not token.user.is_active or not token.user.is_agent:
        return None
    now = timezone.now()
    # Touch at most once a minute so reads do not turn into writes on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- Profile (the signed-in user changes their own) -----------------------------------------------


def _clean_language(language: str) -> str:
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Choose one of the offered languages."), field="language")
    return language


def _clean_time_zone(time_zone: str) -> str:
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise DomainError(_("Choose a time zone from the list."), field="time_zone")
    return time_zone


@transaction.atomic
def profile_update(*, user: User, name: str, language: str, time_zone: str, signature: str) -> User:
    name = name.strip()
    if not name:
        raise DomainError(_("Enter your name."), field="name")
    user.name = name[:150]
    user.language = _clean_language(language)
    user.time_zone = _clean_time_zone(time_zone)
    user.signature = signature.strip()
    user.save(update_fields=["name", "language", "time_zone", "signature"])
    return user


@transaction.atomic
def availability_set(*, user: User, availability: str) -> User:
    if not user.is_agent:
        raise Forbidden(_("Only agents have an availability."))
    if availability not in Availability.values:
        raise DomainError(_("Unknown availability."), field="availability")
    if user.availability != availability:
        user.availability = availability
        user.save(update_fields=["availability"])
    return user


@transaction.atomic
def password_change(
    *, user: User, current_password: str, new_password: str, keep_session_key: str | None
) -> User:
    """Sets a new password and signs every other browser out."""
    if not user.check_password(current_password):
        raise DomainError(_("Your current password is not right."), field="old_password")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="new_password1") from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    session_revoke_others(user=user, keep_session_key=keep_session_key)
    return user


# --- Agents (supervisors and administrators manage them) ----------------------------------------


def _require_may_manage(actor: User | None, agent: User) -> None:
    require_supervisor(actor)
    if not agent.is_agent:
        raise NotFound(_("Agent not found."))
    if actor is not None and agent.role == Role.ADMIN and actor.role != Role.ADMIN:
        raise Forbidden(_("Only administrators may change an administrator."))


def _check_role(actor: User | None, role: str) -> None:
    if role not in Role.values or role == Role.CUSTOMER:
        raise DomainError(_("Unknown agent role."), field="role")
    if actor is not None and role == Role.ADMIN and actor.role != Role.ADMIN:
        raise Forbidden(_("Only administrators may make someone an administrator."))


@transaction.atomic
def agent_invite(
    *,
    actor: User | None,
    email: str,
    name: str,
    role: str = Role.AGENT,
    teams: list[Team] | None = None,
    password: str = "",
) -> User:
    """Creates an agent. Without a password, the agent gets an email to choose one."""
    require_supervisor(actor)
    _check_role(actor, role)
    if not name.strip():
        raise DomainError(_("Enter a name."), field="name")
    user = agent_create(
        email=email,
        name=name.strip(),
        role=role,
        password=password or None,
        teams=teams,
    )
    if not password:
        from amparo.accounts.tasks import agent_invite_send

        agent_invite_send.enqueue(user.pk)
    return user


@transaction.atomic
def agent_update(*, actor: User | None, agent: User, name: str, role: str) -> User:
    _require_may_manage(actor, agent)
    _check_role(actor, role)
    if actor is not None and agent.pk == actor.pk and role != agent.role:
        raise DomainError(_("You cannot change your own role."), field="role")
    if not name.strip():
        raise DomainError(_("Enter a name."), field="name")
    agent.name = name.strip()[:150]
    agent.role = role
    # Only administrators reach the Django admin.
    agent.is_staff = agent.is_superuser = role == Role.ADMIN
    agent.save(update_fields=["name", "role", "is_staff", "is_superuser"])
    return agent


@transaction.atomic
def agent_set_active(*, actor: User | None, agent: User, active: bool) -> User:
    _require_may_manage(actor, agent)
    if actor is not None and agent.pk == actor.pk and not active:
        raise DomainError(_("You cannot deactivate yourself."), field="is_active")
    agent.is_active = active
    fields = ["is_active"]
    if not active:
        agent.availability = Availability.OFFLINE
        fields.append("availability")
    agent.save(update_fields=fields)
    if not active:
        session_revoke_all(user=agent)
        ApiToken.objects.filter(user=agent, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    return agent


@transaction.atomic
def agent_reset_two_factor(*, actor: User | None, agent: User) -> None:
    """For an agent who lost their phone: 2FA goes off and their sessions end."""
    _require_may_manage(actor, agent)
    two_factor_reset(user=agent)
    session_revoke_all(user=agent)


@transaction.atomic
def agent_revoke_sessions(*, actor: User | None, agent: User) -> int:
    _require_may_manage(actor, agent)
    return session_revoke_all(user=agent)


@transaction.atomic
def agent_unlock(*, actor: User | None, agent: User) -> None:
    _require_may_manage(actor, agent)
    login_lock_clear(email=agent.email)


@transaction.atomic
def team_update(*, actor: User | None, team: Team, name: str, description: str) -> Team:
    require_supervisor(actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Enter a name."), field="name")
    if Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
        raise DomainError(_("A team with this name already exists."), field="name")
    team.name = name[:100]
    team.description = description.strip()
    team.save(update_fields=["name", "description"])
    return team


@transaction.atomic
def team_set_lead(*, actor: User | None, team: Team, user: User, is_lead: bool) -> None:
    require_supervisor(actor)
    updated = TeamMembership.objects.filter(team=team, user=user).update(is_lead=is_lead)
    if not updated:
        raise DomainError(_("This agent is not a member of the team."), field="user")
