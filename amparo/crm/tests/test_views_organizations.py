"""The agent organization pages."""

from __future__ import annotations

import pytest

from amparo.core.models import CustomFieldDefinition, CustomFieldTarget, CustomFieldType
from amparo.crm.models import Organization
from amparo.testing.factories import ContactFactory, OrganizationFactory, make_ticket

pytestmark = pytest.mark.django_db


def test_list_and_search(client_for, agent_a):
    acme = OrganizationFactory(name="Acme Ltda", domains=["acme.com.br"])
    OrganizationFactory(name="Padaria Pão Quente")
    ContactFactory(organization=acme)
    client = client_for(agent_a)
    html = client.get("/organizations/").content.decode()
    assert "Acme Ltda" in html and "Padaria Pão Quente" in html
    html = client.get("/organizations/", {"q": "acme.com.br"}).content.decode()
    assert "Acme Ltda" in html and "Padaria" not in html
    html = client.get(
        "/organizations/", {"q": "pão"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Padaria Pão Quente" in html and "Acme" not in html and "<html" not in html


def test_list_query_count_does_not_grow_with_rows(client_for, agent_a, django_assert_num_queries):
    client = client_for(agent_a)
    for _n in range(5):
        ContactFactory(organization=OrganizationFactory())
    client.get("/organizations/")
    with django_assert_num_queries(5) as few:
        client.get("/organizations/")
    for _n in range(45):
        ContactFactory(organization=OrganizationFactory())
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/organizations/")


def test_detail_shows_members_domains_attributes_and_visible_tickets(
    client_for, agent_a, team_a, team_b
):
    CustomFieldDefinition.objects.create(
        target=CustomFieldTarget.ORGANIZATION,
        key="contrato",
        label="Contrato",
        field_type=CustomFieldType.TEXT,
    )
    org = OrganizationFactory(
        name="Acme Ltda",
        domains=["acme.com.br"],
        notes="Cliente estratégico.",
        shares_tickets=True,
        custom_fields={"contrato": "C-42"},
    )
    member = ContactFactory(name="Ana Acme", organization=org)
    make_ticket(contact=member, team=team_a, subject="Nota fiscal")
    make_ticket(contact=member, team=team_b, subject="Cobrança sigilosa")
    html = client_for(agent_a).get(f"/organizations/{org.pk}/").content.decode()
    for text in [
        "Acme Ltda",
        "acme.com.br",
        "Cliente estratégico.",
        "C-42",
        "Ana Acme",
        "Nota fiscal",
    ]:
        assert text in html, text
    assert "Members see each other's tickets in the portal" in html
    assert "Cobrança sigilosa" not in html


def test_create_and_edit(client_for, agent_a):
    client = client_for(agent_a)
    response = client.post(
        "/organizations/new/",
        {
            "name": "Nova Ltda",
            "domains": "nova.com.br, @Nova.pt",
            "notes": "",
            "shares_tickets": "on",
        },
    )
    org = Organization.objects.get(name="Nova Ltda")
    assert response["Location"] == f"/organizations/{org.pk}/"
    assert org.domains == ["nova.com.br", "nova.pt"]
    assert org.shares_tickets is True
    response = client.post(
        f"/organizations/{org.pk}/edit/",
        {"name": "Nova S.A.", "domains": "nova.com.br", "notes": "Matriz em Lisboa."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="organization-card"' in response.content.decode()
    org.refresh_from_db()
    assert (org.name, org.domains, org.notes, org.shares_tickets) == (
        "Nova S.A.",
        ["nova.com.br"],
        "Matriz em Lisboa.",
        False,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "  ", "domains": ""}, "name"),
        ({"name": "Ok", "domains": "não é domínio"}, "domains"),
    ],
)
def test_bad_input_changes_nothing(client_for, agent_a, data, field):
    org = OrganizationFactory(name="Acme", domains=["acme.com"])
    response = client_for(agent_a).post(f"/organizations/{org.pk}/edit/", data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    org.refresh_from_db()
    assert (org.name, org.domains) == ("Acme", ["acme.com"])
    assert client_for(agent_a).post("/organizations/new/", data).status_code == 400
    assert Organization.objects.count() == 1


def test_options_for_the_contact_form(client_for, agent_a):
    OrganizationFactory(name="Acme Ltda")
    html = (
        client_for(agent_a).get("/organizations/options/", {"organization": "acm"}).content.decode()
    )
    assert '<option value="Acme Ltda">' in html


def test_customers_and_anonymous_cannot_enter(client, customer):
    org = OrganizationFactory(name="Acme")
    assert client.get(f"/organizations/{org.pk}/").status_code == 302
    client.force_login(customer)
    for url in ["/organizations/", f"/organizations/{org.pk}/", "/organizations/new/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/organizations/{org.pk}/edit/", {"name": "X"}).status_code == 404
    org.refresh_from_db()
    assert org.name == "Acme"
