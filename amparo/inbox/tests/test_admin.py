"""Admin pages: mailbox configuration with write-only secrets, quarantine list and actions."""

from __future__ import annotations

import io
import zipfile

import pytest

from amparo.core.health import health_report
from amparo.inbox.email.ingest import ingest
from amparo.inbox.models import Mailbox, QuarantinedMail
from amparo.tickets.models import Ticket

from .mails import make_mail

pytestmark = pytest.mark.django_db


def test_mailbox_form_stores_the_password_encrypted(admin_client, team_a):
    response = admin_client.post(
        "/admin/inbox/mailbox/add/",
        {
            "name": "Vendas",
            "address": "vendas@amparo.test",
            "team": team_a.pk,
            "is_active": "on",
            "auto_acknowledge": "on",
            "imap_host": "imap.example.org",
            "imap_port": 993,
            "imap_security": "ssl",
            "imap_username": "vendas",
            "imap_password": "segredo-imap",
            "imap_folder": "INBOX",
            "after_fetch": "move",
            "processed_folder": "Amparo/Processed",
            "smtp_host": "smtp.example.org",
            "smtp_port": 587,
            "smtp_security": "starttls",
            "ack_templates-TOTAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    mailbox = Mailbox.objects.get(address="vendas@amparo.test")
    assert mailbox.imap_password_encrypted and "segredo" not in mailbox.imap_password_encrypted
    page = admin_client.get(f"/admin/inbox/mailbox/{mailbox.pk}/change/").content.decode()
    assert "segredo-imap" not in page and mailbox.imap_password_encrypted not in page


def test_quarantine_list_download_reprocess_and_health(admin_client, mailbox):
    stray = make_mail(sender="z@example.org", headers={"Auto-Submitted": "auto-generated"})
    item = QuarantinedMail.objects.get(pk=ingest(stray, source="pipe").quarantine_id)
    page = admin_client.get("/admin/inbox/quarantinedmail/")
    assert page.status_code == 200 and item.subject in page.content.decode()
    assert health_report()["mail"]["quarantine"] == 1

    download = admin_client.post(
        "/admin/inbox/quarantinedmail/",
        {"action": "download_eml", "_selected_action": [item.pk]},
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.read(f"quarantine-{item.pk}.eml") == stray

    admin_client.post(
        "/admin/inbox/quarantinedmail/", {"action": "reprocess", "_selected_action": [item.pk]}
    )
    assert Ticket.objects.count() == 1
    assert health_report()["mail"]["quarantine"] == 0


def test_agents_who_see_the_ticket_download_the_original(client, mailbox, agent_a, agent_b):
    raw = make_mail(subject="Original")
    ticket = Ticket.objects.get(pk=ingest(raw, source="pipe").ticket_id)
    message = ticket.messages.first()
    url = f"/inbox/email/messages/{message.pk}/original.eml"
    client.force_login(agent_a)  # in the ticket's team
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == raw
    client.force_login(agent_b)  # another team
    assert client.get(url).status_code == 404
