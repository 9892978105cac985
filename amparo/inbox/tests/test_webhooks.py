"""Provider inbound webhooks through django-anymail, with their signature checks."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from django.test import Client

from amparo.tickets.models import Ticket

from .mails import make_mail

pytestmark = pytest.mark.django_db

SIGNING_KEY = "mailgun-signing-key"


@pytest.fixture
def anymail_settings(settings):  # type: ignore[no-untyped-def]
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": "hook:s3cret",
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
    }
    return settings


def _mailgun_post(raw: bytes, *, key: str = SIGNING_KEY, auth: str = "aG9vazpzM2NyZXQ="):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return Client().post(
        "/inbox/email/inbound/mailgun/",
        {
            "body-mime": raw.decode(),
            "recipient": "suporte@amparo.test",
            "timestamp": timestamp,
            "token": token,
            "signature": signature,
        },
        headers={"Authorization": f"Basic {auth}"},
    )


def test_mailgun_inbound_with_valid_signature_makes_a_ticket(mailbox, anymail_settings):
    response = _mailgun_post(make_mail(subject="Via Mailgun"))
    assert response.status_code == 200
    assert Ticket.objects.get().subject == "Via Mailgun"


def test_bad_signature_or_secret_is_refused(mailbox, anymail_settings):
    assert _mailgun_post(make_mail(), key="wrong").status_code == 400
    assert _mailgun_post(make_mail(), auth="d3Jvbmc6d3Jvbmc=").status_code == 400
    assert Ticket.objects.count() == 0


def test_sendgrid_raw_inbound(mailbox, anymail_settings):
    raw = make_mail(subject="Via SendGrid")
    response = Client().post(
        "/inbox/email/inbound/sendgrid/",
        {"email": raw.decode(), "envelope": '{"to": ["suporte@amparo.test"], "from": "m@x.org"}'},
        headers={"Authorization": "Basic aG9vazpzM2NyZXQ="},
    )
    assert response.status_code == 200
    assert Ticket.objects.get().subject == "Via SendGrid"
