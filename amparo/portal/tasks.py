"""Portal jobs."""

from __future__ import annotations

from amparo.jobs.base import job


@job(queue="mail", retries=5, backoff=30)
def sign_in_link_send(link_id: int) -> None:
    """Mails the magic link of one request; a second run finds it sent and does nothing."""
    from amparo.portal.services import sign_in_link_deliver

    sign_in_link_deliver(link_id=link_id)


@job(queue="mail", retries=5, backoff=60)
def web_reply_notify(message_id: int) -> None:
    """Mails the customer a reply from the team to their web request; runs once per reply."""
    from amparo.portal.notify import web_reply_deliver

    web_reply_deliver(message_id=message_id)
