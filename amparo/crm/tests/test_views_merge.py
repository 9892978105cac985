"""Merging duplicate contacts from the contact page."""

from __future__ import annotations

import pytest

from amparo.crm.models import Contact, ContactIdentity
from amparo.testing.factories import ContactFactory, OrganizationFactory, make_ticket
from amparo.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_search_lists_other_contacts(client_for, agent_a, contact):
    ContactFactory(name="Maria Silva", identities=[("email", "msilva@example.org")])
    html = (
        client_for(agent_a).get(f"/contacts/{contact.pk}/merge/", {"q": "maria"}).content.decode()
    )
    assert "Compare with Maria Silva" in html
    assert f"?other={contact.pk}" not in html


def test_confirmation_shows_what_will_move_and_changes_nothing(
    client_for, agent_a, team_a, contact
):
    other = ContactFactory(
        name="M. da Silva",
        identities=[("email", "m.silva@example.org"), ("phone", "11987654321")],
    )
    make_ticket(contact=other, team=team_a, subject="Boleto vencido")
    response = client_for(agent_a).get(f"/contacts/{contact.pk}/merge/", {"other": other.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "m.silva@example.org" in html
    assert "(11) 98765-4321" in html
    assert "Boleto vencido" in html
    assert f"Merge M. da Silva into {contact.name}" in html
    assert ContactIdentity.objects.get(value="m.silva@example.org").contact == other


def test_confirmation_lists_only_visible_tickets(client_for, agent_a, team_b, contact):
    other = ContactFactory(name="Outra Maria")
    make_ticket(contact=other, team=team_b, subject="Assunto do financeiro")
    html = (
        client_for(agent_a)
        .get(f"/contacts/{contact.pk}/merge/", {"other": other.pk})
        .content.decode()
    )
    assert "Assunto do financeiro" not in html


def test_merge_moves_identities_and_tickets(client_for, agent_a, team_a, team_b, contact):
    org = OrganizationFactory(name="Acme")
    other = ContactFactory(
        name="M. da Silva", organization=org, identities=[("email", "m.silva@example.org")]
    )
    seen = make_ticket(contact=other, team=team_a)
    unseen = make_ticket(contact=other, team=team_b)
    client = client_for(agent_a)
    response = client.post(f"/contacts/{contact.pk}/merge/", {"other": other.pk, "keep": "this"})
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    other.refresh_from_db()
    contact.refresh_from_db()
    assert other.merged_into == contact
    assert contact.organization == org
    assert set(contact.identities.values_list("value", flat=True)) == {
        "maria@example.org",
        "m.silva@example.org",
    }
    assert set(Ticket.objects.filter(contact=contact)) == {seen, unseen}
    page = client.get(response["Location"]).content.decode()
    assert "M. da Silva was merged into Maria da Silva." in page


def test_merge_can_keep_the_other_contact(client_for, agent_a, contact):
    other = ContactFactory(name="Maria (antiga)")
    response = client_for(agent_a).post(
        f"/contacts/{contact.pk}/merge/", {"other": other.pk, "keep": "other"}
    )
    assert response["Location"] == f"/contacts/{other.pk}/"
    contact.refresh_from_db()
    assert contact.merged_into_id == other.pk


def test_merging_with_itself_or_a_merged_contact_is_refused(client_for, agent_a, contact):
    client = client_for(agent_a)
    response = client.post(f"/contacts/{contact.pk}/merge/", {"other": contact.pk})
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).merged_into_id is None
    gone = ContactFactory(name="Já mesclado")
    keeper = ContactFactory(name="Quem ficou")
    client.post(f"/contacts/{gone.pk}/merge/", {"other": keeper.pk, "keep": "other"})
    assert client.post(f"/contacts/{contact.pk}/merge/", {"other": gone.pk}).status_code == 404
    assert Contact.objects.get(pk=contact.pk).merged_into_id is None


def test_merge_needs_post_to_change_anything(client_for, agent_a, contact):
    other = ContactFactory(name="Outra")
    client_for(agent_a).get(f"/contacts/{contact.pk}/merge/", {"other": other.pk, "keep": "other"})
    assert Contact.objects.filter(merged_into__isnull=False).count() == 0


def test_possible_duplicates_hint(client_for, agent_a):
    org = OrganizationFactory(name="Acme")
    contact = ContactFactory(name="Maria da Silva", organization=org)
    same_name = ContactFactory(name="Maria da Silva")
    similar_in_org = ContactFactory(name="Maria S.", organization=org)
    unrelated = ContactFactory(name="Maria Outra")  # similar name, other organization
    html = client_for(agent_a).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Possible duplicates" in html
    assert f"?other={same_name.pk}" in html
    assert f"?other={similar_in_org.pk}" in html
    assert f"?other={unrelated.pk}" not in html


def test_no_hint_without_duplicates(client_for, agent_a, contact):
    html = client_for(agent_a).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Possible duplicates" not in html
