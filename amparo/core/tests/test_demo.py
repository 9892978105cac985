"""The demo a new user meets: agents and a portal customer who can sign in, lived-in tickets."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.core.demo.loader import DEMO_CUSTOMER_EMAIL, DEMO_DOMAIN, DEMO_PASSWORD, load_demo
from amparo.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo(tickets=50)


def test_demo_has_a_company_to_work_in(demo):
    assert demo["teams"] >= 3 and demo["agents"] >= 4 and demo["tickets"] == 50
    assert demo["messages"] > 2 * demo["tickets"]
    channels = set(Ticket.objects.values_list("channel", flat=True))
    assert len(channels) >= 3


def test_demo_agent_signs_in_and_sees_a_queue(demo):
    client = Client(HTTP_ACCEPT_LANGUAGE="pt-br")
    response = client.post(
        "/account/login/",
        {"email": f"ana.souza@{DEMO_DOMAIN}", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    page = client.get("/desk/?view=teams").content.decode()
    assert "Minhas equipes" in page
    assert Ticket.objects.filter(team__name="Suporte Técnico").first().subject in page


def test_demo_customer_signs_in_to_the_portal_and_sees_only_her_requests(demo):
    client = Client(HTTP_ACCEPT_LANGUAGE="pt-br")
    response = client.post(
        "/portal/sign-in/password/",
        {"pw-email": DEMO_CUSTOMER_EMAIL, "pw-password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    mine = Ticket.objects.filter(contact__identities__value=DEMO_CUSTOMER_EMAIL)
    assert mine.exists()
    page = client.get("/portal/").content.decode()
    for ticket in mine:
        assert f"/portal/requests/{ticket.pk}/" in page
    other = Ticket.objects.exclude(contact__identities__value=DEMO_CUSTOMER_EMAIL).first()
    assert f"/portal/requests/{other.pk}/" not in page


def test_timeline_reads_in_order_and_nothing_is_in_the_future(demo):
    from django.utils import timezone

    ticket = Ticket.objects.filter(message_count__gte=4).first()
    created = ticket.events.get(kind="created").created_at
    first_message = ticket.messages.order_by("created_at").first()
    assert created <= first_message.created_at
    assert not ticket.messages.filter(created_at__gt=timezone.now()).exists()
    assert ticket.updated_at >= ticket.messages.order_by("-created_at").first().created_at


def test_demo_sends_nothing_to_its_invented_customers(demo):
    from django_tasks_db.models import DBTaskResult

    from amparo.tickets.models import Message

    assert Message.objects.filter(author_kind="agent", is_internal=False).exists()
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert not {p for p in queued if "send" in p or "notify" in p}, queued
