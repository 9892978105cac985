"""The agent contact pages: list and search, the contact page, edits and identities."""

from __future__ import annotations

import re

import pytest

from amparo.core.models import CustomFieldDefinition, CustomFieldTarget, CustomFieldType
from amparo.crm.models import ContactIdentity
from amparo.testing.factories import ContactFactory, OrganizationFactory, make_ticket
from amparo.tickets.models import Channel

pytestmark = pytest.mark.django_db


def test_list_shows_contacts_with_formatted_phone(client_for, agent_a):
    ContactFactory(
        name="Maria da Silva",
        identities=[("email", "maria@example.org"), ("phone", "+55 11 98765-4321")],
    )
    response = client_for(agent_a).get("/contacts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maria da Silva" in html
    assert "maria@example.org" in html
    assert "(11) 98765-4321" in html


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("silva", True),
        ("MARIA@EXAMPLE.ORG", True),
        (" (11) 98765-4321 ", True),
        ("+5511987654321", True),
        ("@maria.tg", True),
        ("ria@example.org", False),
        ("98765", False),
    ],
)
def test_search_by_name_or_exact_identity(client_for, agent_a, query, found):
    ContactFactory(
        name="Maria da Silva",
        identities=[
            ("email", "maria@example.org"),
            ("phone", "11987654321"),
            ("telegram", "Maria.TG"),
        ],
    )
    ContactFactory(name="João Pereira")
    html = client_for(agent_a).get("/contacts/", {"q": query}).content.decode()
    assert ("Maria da Silva" in html) is found
    assert "João Pereira" not in html


def test_search_answers_htmx_with_the_results_only(client_for, agent_a):
    ContactFactory(name="Maria da Silva")
    response = client_for(agent_a).get("/contacts/", {"q": "maria"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Maria da Silva" in html
    assert "<html" not in html


def test_list_pages_with_a_cursor(client_for, agent_a):
    for n in range(55):
        ContactFactory(name=f"Pessoa {n:02d}")
    client = client_for(agent_a)
    first = client.get("/contacts/").content.decode()
    assert "Pessoa 00" in first
    assert "Pessoa 50" not in first
    cursor = first.split("cursor=")[1].split('"')[0]
    second = client.get(f"/contacts/?cursor={cursor}").content.decode()
    assert "Pessoa 50" in second
    assert "Pessoa 49" not in second
    assert "First page" in second
    # A damaged cursor starts again rather than failing.
    assert client.get("/contacts/?cursor=not-a-cursor").status_code == 200


def test_pages_split_contacts_with_the_same_name(client_for, agent_a):
    ids = [ContactFactory(name="Maria").pk for _n in range(53)]
    client = client_for(agent_a)
    first = client.get("/contacts/").content.decode()
    cursor = re.search(r"cursor=([\w-]+)", first).group(1)
    second = client.get(f"/contacts/?cursor={cursor}").content.decode()
    seen = {int(n) for n in re.findall(r'href="/contacts/(\d+)/"', first + second)}
    assert seen == set(ids)
    assert len(re.findall(r'href="/contacts/(\d+)/"', second)) == 3


def test_list_query_count_does_not_grow_with_rows(client_for, agent_a, django_assert_num_queries):
    org = OrganizationFactory(name="Acme")
    client = client_for(agent_a)
    for n in range(5):
        ContactFactory(
            organization=org,
            identities=[("email", f"a{n}@example.org"), ("phone", f"1199999000{n}")],
        )
    client.get("/contacts/")  # warm the session and caches
    with django_assert_num_queries(5) as few:
        client.get("/contacts/")
    for n in range(45):
        ContactFactory(
            organization=org,
            identities=[("email", f"b{n}@example.org"), ("phone", f"119888800{n:02d}")],
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/contacts/")
    assert response.content.decode().count("/contacts/") >= 50


def test_list_filters_by_organization(client_for, agent_a):
    acme = OrganizationFactory(name="Acme")
    ContactFactory(name="Ana Acme", organization=acme)
    ContactFactory(name="Bia Outra")
    html = client_for(agent_a).get("/contacts/", {"organization": acme.pk}).content.decode()
    assert "Ana Acme" in html
    assert "Bia Outra" not in html


def test_anonymous_goes_to_sign_in_and_customers_get_404(client, customer, contact):
    response = client.get("/contacts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")
    client.force_login(customer)
    for url in [
        "/contacts/",
        f"/contacts/{contact.pk}/",
        f"/contacts/{contact.pk}/edit/",
        f"/contacts/{contact.pk}/merge/",
        "/contacts/new/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/contacts/{contact.pk}/edit/", {"name": "X"}).status_code == 404
    contact.refresh_from_db()
    assert contact.name == "Maria da Silva"


def test_contact_page_shows_identities_organization_attributes_and_notes(client_for, agent_a):
    from django.utils import timezone

    CustomFieldDefinition.objects.create(
        target=CustomFieldTarget.CONTACT,
        key="plano",
        label="Plano",
        field_type=CustomFieldType.TEXT,
    )
    org = OrganizationFactory(name="Padaria Pão Quente")
    contact = ContactFactory(
        name="Maria da Silva",
        organization=org,
        identities=[
            ("email", "maria@example.org"),
            ("whatsapp", "+5511987654321"),
            ("instagram", "maria.ig"),
        ],
        notes="Prefere contato pela manhã.",
        custom_fields={"plano": "Ouro"},
    )
    ContactIdentity.objects.filter(value="maria@example.org").update(
        bouncing_since=timezone.now(), bounce_reason="550 mailbox full"
    )
    html = client_for(agent_a).get(f"/contacts/{contact.pk}/").content.decode()
    for text in [
        "Maria da Silva",
        "Padaria Pão Quente",
        "maria@example.org",
        "(11) 98765-4321",
        "@maria.ig",
        "Plano",
        "Ouro",
        "Prefere contato pela manhã.",
        "550 mailbox full",
        "badge-bouncing",
    ]:
        assert text in html, text


def test_timeline_lists_tickets_of_every_channel(client_for, agent_a, team_a, contact):
    make_ticket(contact=contact, team=team_a, subject="Pelo email", channel=Channel.EMAIL)
    make_ticket(contact=contact, team=team_a, subject="Pelo WhatsApp", channel=Channel.WHATSAPP)
    make_ticket(contact=contact, subject="Pelo telefone", channel=Channel.PHONE)
    other = make_ticket(subject="De outra pessoa", team=team_a)
    html = client_for(agent_a).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Pelo email" in html
    assert "Pelo WhatsApp" in html
    assert "Pelo telefone" in html
    assert "WhatsApp" in html and "badge-channel" in html
    assert "De outra pessoa" not in html
    assert f"/desk/tickets/{other.pk}/" not in html


def test_timeline_hides_tickets_of_other_teams(
    client_for, agent_a, agent_b, team_a, team_b, contact
):
    mine = make_ticket(contact=contact, team=team_a, subject="Segunda via do boleto")
    theirs = make_ticket(contact=contact, team=team_b, subject="Reembolso confidencial")
    html = client_for(agent_a).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Segunda via do boleto" in html
    assert "Reembolso confidencial" not in html
    assert f"/desk/tickets/{theirs.pk}/" not in html
    html_b = client_for(agent_b).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Reembolso confidencial" in html_b
    assert f"/desk/tickets/{mine.pk}/" not in html_b
    # Paging further does not reveal them either.
    more = client_for(agent_a).get(f"/contacts/{contact.pk}/tickets/").content.decode()
    assert "Reembolso confidencial" not in more


def test_timeline_shows_older_tickets_on_demand(client_for, agent_a, team_a, contact):
    for n in range(23):
        make_ticket(contact=contact, team=team_a, subject=f"Pedido {n:02d}")
    client = client_for(agent_a)
    html = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Pedido 22" in html
    assert "Pedido 02" not in html
    match = re.search(rf'hx-get="(/contacts/{contact.pk}/tickets/\?cursor=[^"]+)"', html)
    assert match is not None
    more_url = match.group(1)
    more = client.get(more_url, headers={"HX-Request": "true"}).content.decode()
    assert "Pedido 02" in more
    assert "Pedido 22" not in more


def test_merged_contact_page_redirects_to_the_contact_it_became(client_for, agent_a):
    from amparo.crm.services import contact_merge

    source = ContactFactory(name="Duplicado")
    target = ContactFactory(name="Original")
    contact_merge(source=source, target=target)
    response = client_for(agent_a).get(f"/contacts/{source.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{target.pk}/"


def test_unknown_contact_is_404(client_for, agent_a):
    assert client_for(agent_a).get("/contacts/999999/").status_code == 404


def test_pages_speak_the_agents_language(client_for, agent_a, contact):
    agent_a.language = "pt-br"
    agent_a.save(update_fields=["language"])
    client = client_for(agent_a)
    assert "Buscar contatos" in client.get("/contacts/").content.decode()
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "E-mails, telefones e usuários" in page
    assert "Mesclar com outro contato" in page
    assert "Buscar organizações" in client.get("/organizations/").content.decode()


def test_contact_page_query_count_does_not_grow_with_tickets(
    client_for, agent_a, team_a, contact, django_assert_num_queries
):
    client = client_for(agent_a)
    for n in range(2):
        make_ticket(contact=contact, team=team_a, subject=f"Primeiro {n}", tags=["boleto"])
    client.get(f"/contacts/{contact.pk}/")
    with django_assert_num_queries(10) as few:
        client.get(f"/contacts/{contact.pk}/")
    for n in range(18):
        make_ticket(contact=contact, team=team_a, subject=f"Depois {n}", tags=["nf", "boleto"])
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert html.count("/desk/tickets/") == 20
