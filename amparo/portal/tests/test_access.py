"""A customer reaches only their own requests (and their organization's when it shares them)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.core.actors import Actor
from amparo.crm.models import Contact
from amparo.portal.tests.conftest import make_customer
from amparo.testing.factories import OrganizationFactory, make_ticket
from amparo.tickets.models import Message, Status
from amparo.tickets.services import NewAttachment, message_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_ticket(other_customer):
    return make_ticket(contact=other_customer, subject="Segredo do João", body="dados do João")


def ticket_routes(ticket_id):
    return [
        ("get", f"/portal/requests/{ticket_id}/", {}),
        ("post", f"/portal/requests/{ticket_id}/reply/", {"body": "intrusão"}),
        ("post", f"/portal/requests/{ticket_id}/status/", {"action": "solve"}),
        ("post", f"/portal/requests/{ticket_id}/status/", {"action": "reopen"}),
    ]


def test_every_route_answers_404_for_another_customers_ticket(customer_client, foreign_ticket):
    for method, url, data in ticket_routes(foreign_ticket.pk):
        response = getattr(customer_client, method)(url, data)
        assert response.status_code == 404, url
        assert "Segredo" not in response.content.decode()
    foreign_ticket.refresh_from_db()
    assert foreign_ticket.status == Status.NEW
    assert foreign_ticket.messages.count() == 1
    listing = customer_client.get("/portal/").content.decode()
    assert "Segredo do João" not in listing


def test_unknown_ticket_ids_are_404_too(customer_client):
    for method, url, data in ticket_routes(999999):
        assert getattr(customer_client, method)(url, data).status_code == 404


def test_attachments_of_another_customer_are_404(customer_client, other_customer, customer):
    theirs = make_ticket(
        contact=other_customer,
        attachments=[NewAttachment(filename="cpf.txt", data=b"123")],
    )
    mine = make_ticket(contact=customer, attachments=[NewAttachment(filename="meu.txt", data=b"m")])
    assert customer_client.get(f"/attachments/{theirs.attachments.get().pk}/").status_code == 404
    assert customer_client.get(f"/attachments/{mine.attachments.get().pk}/").status_code == 200


def test_a_signed_out_customer_following_an_attachment_link_signs_in_and_gets_it(client, customer):
    from amparo.portal.tests.conftest import PASSWORD

    ticket = make_ticket(
        contact=customer, attachments=[NewAttachment(filename="nf.txt", data=b"n")]
    )
    url = f"/attachments/{ticket.attachments.get().pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/?next=%2Fattachments%2F" + url[13:-1] + "%2F"
    page = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{url}"' in page
    signed_in = client.post(
        "/portal/sign-in/password/",
        {"pw-email": "maria@example.org", "pw-password": PASSWORD, "next": url},
    )
    assert signed_in["Location"] == url
    assert b"".join(client.get(url).streaming_content) == b"n"


def test_internal_notes_are_never_shown(customer_client, customer, agent_a):
    ticket = make_ticket(contact=customer)
    message_add(
        ticket=ticket,
        actor=Actor.of_agent(agent_a),
        body_text="NOTA INTERNA: cliente difícil",
        is_internal=True,
        attachments=[NewAttachment(filename="interno.txt", data=b"i")],
    )
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Resposta pública")
    page = customer_client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "Resposta pública" in page
    assert "NOTA INTERNA" not in page and "interno.txt" not in page
    note_file = ticket.attachments.get(filename="interno.txt")
    assert customer_client.get(f"/attachments/{note_file.pk}/").status_code == 404
    # Replying does not reveal it either.
    reply = customer_client.post(f"/portal/requests/{ticket.pk}/reply/", {"body": ""})
    assert reply.status_code == 400 and "NOTA INTERNA" not in reply.content.decode()


def test_organization_that_does_not_share_keeps_tickets_private(client):
    org = OrganizationFactory(name="Padaria Pão Bom", shares_tickets=False)
    ana = make_customer("Ana", "ana@paobom.com.br", organization=org)
    beto = make_customer("Beto", "beto@paobom.com.br", organization=org)
    ticket = make_ticket(contact=beto, subject="Pedido do Beto")
    client.force_login(ana.user)
    assert "Pedido do Beto" not in client.get("/portal/").content.decode()
    for method, url, data in ticket_routes(ticket.pk):
        assert getattr(client, method)(url, data).status_code == 404


def test_organization_that_shares_shows_colleagues_tickets(client):
    org = OrganizationFactory(name="Padaria Pão Bom", shares_tickets=True)
    ana = make_customer("Ana", "ana@paobom.com.br", organization=org)
    beto = make_customer("Beto", "beto@paobom.com.br", organization=org)
    ticket = make_ticket(contact=beto, subject="Pedido do Beto")
    outsider = make_customer("Caio", "caio@example.net")
    make_ticket(contact=outsider, subject="Pedido do Caio")
    client.force_login(ana.user)
    listing = client.get("/portal/").content.decode()
    assert "Pedido do Beto" in listing and "Pedido do Caio" not in listing
    assert "opened by Beto" in listing
    page = client.get(f"/portal/requests/{ticket.pk}/")
    assert page.status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, customer):
    ticket = make_ticket(contact=customer)
    response = client.get(f"/portal/requests/{ticket.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/sign-in/?next=%2Fportal%2Frequests%2F{ticket.pk}%2F"
    assert client.post(f"/portal/requests/{ticket.pk}/reply/", {"body": "x"}).status_code == 302
    assert client.get("/portal/account/").status_code == 302
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_agents_are_sent_to_the_desk(client, agent_a, customer):
    ticket = make_ticket(contact=customer)
    client.force_login(agent_a)
    for url in ["/portal/", "/portal/requests/new/", f"/portal/requests/{ticket.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/desk/"


def test_a_signed_in_user_without_contact_sees_nothing(client, db):
    from amparo.accounts.models import Role, User

    orphan = User.objects.create_user("solto@example.org", None, name="Solto", role=Role.CUSTOMER)
    client.force_login(orphan)
    assert client.get("/portal/account/").status_code == 404
    assert client.get("/portal/requests/1/").status_code == 404
    assert (
        client.post("/portal/requests/new/", {"subject": "s", "description": "d"}).status_code
        == 404
    )
    assert not Contact.objects.exists()


def test_reply_form_uploads_count_against_the_limit(customer_client, customer, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    ticket = make_ticket(contact=customer)
    big = SimpleUploadedFile("big.bin", b"y" * 100)
    response = customer_client.post(
        f"/portal/requests/{ticket.pk}/reply/", {"body": "ok", "attachments": [big]}
    )
    assert response.status_code == 400
    assert ticket.messages.count() == 1


def test_a_poll_after_sign_out_navigates_to_sign_in(client, customer):
    ticket = make_ticket(contact=customer)
    response = client.get(f"/portal/requests/{ticket.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/portal/sign-in/?next=")
