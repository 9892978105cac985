"""Background jobs of accounts."""

from __future__ import annotations

from datetime import timedelta

from amparo.accounts.emails import send_with_link
from amparo.accounts.models import User
from amparo.accounts.sessions import session_rows_prune
from amparo.accounts.throttle import login_throttle_prune
from amparo.jobs.base import job
from amparo.jobs.periodic import periodic


@job(queue="mail", retries=5, backoff=60)
def agent_invite_send(user_id: int) -> None:
    """Emails a new agent a link to choose their password.

    Running it again after the agent chose one sends nothing, so a retry cannot spam them.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return
    send_with_link(user=user, template="invite")


@periodic(every=timedelta(hours=1))
@job(queue="periodic", retries=3, backoff=60)
def accounts_prune() -> None:
    """Drops finished sign-in counts and the rows of sessions that expired."""
    login_throttle_prune()
    session_rows_prune()
