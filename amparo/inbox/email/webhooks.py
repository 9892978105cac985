"""Inbound mail from providers (Mailgun, Postmark, SendGrid, Amazon SES, Brevo, …).

django-anymail's views check each provider's signature or basic-auth secret and then send
its ``inbound`` signal; the receiver below is the thin edge that hands the mail to
``ingest``. (A signal here is anymail's interface, not our business flow.)
"""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError

from amparo.inbox.email.ingest import ingest


def on_inbound(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    message = event.message
    if message is None:
        return
    recipients = [message.envelope_recipient] if message.envelope_recipient else []
    try:
        ingest(message.as_bytes(), source="webhook", envelope_recipients=recipients)
    except (OperationalError, InterfaceError):
        # Anymail answers 500 and the provider retries later.
        raise


def connect() -> None:
    from anymail.signals import inbound

    inbound.connect(on_inbound, dispatch_uid="amparo.inbox.email.webhooks")
