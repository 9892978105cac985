"""``amparo smtpd``: direct delivery over SMTP into tickets, for our addresses only."""

from __future__ import annotations

import smtplib

import pytest

from amparo.tickets.models import Ticket

from .dovecot import free_port
from .mails import make_mail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.mail]


@pytest.fixture
def smtpd(mailbox, settings):  # type: ignore[no-untyped-def]
    from amparo.inbox.email.smtpd import make_controller

    settings.MAIL_MAX_BYTES = 50_000
    controller = make_controller("127.0.0.1", free_port())
    controller.start()
    yield controller
    controller.stop()


def test_mail_delivered_by_smtp_becomes_a_ticket(smtpd):
    with smtplib.SMTP(smtpd.hostname, smtpd.port) as client:
        client.sendmail(
            "maria@example.org", ["suporte+x@amparo.test"], make_mail(subject="Por SMTP")
        )
    assert Ticket.objects.get().subject == "Por SMTP"


def test_unknown_recipient_refused_and_too_large_refused(smtpd):
    with smtplib.SMTP(smtpd.hostname, smtpd.port) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("maria@example.org", ["someone@elsewhere.example"], make_mail())
        big = make_mail(attachments=[("big.bin", b"x" * 60_000, "application/octet-stream")])
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("maria@example.org", ["suporte@amparo.test"], big)
        assert refused.value.smtp_code == 552
    assert Ticket.objects.count() == 0
