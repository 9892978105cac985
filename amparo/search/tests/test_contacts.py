"""Contact search: names, organizations and identities by the start of their words; emails and
phones in full or by their beginning; every change to those kept in the index."""

from __future__ import annotations

import pytest

from amparo.crm.models import Contact, ContactIdentity
from amparo.crm.selectors import contact_search
from amparo.crm.services import (
    contact_merge,
    contact_update,
    identity_add,
    identity_remove,
    organization_update,
)
from amparo.testing.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(db) -> Contact:
    org = OrganizationFactory(name="Padaria Pão Quente")
    return ContactFactory(
        name="Maria José da Silva",
        organization=org,
        identities=[("email", "maria.silva@gmail.com"), ("phone", "+55 11 98765-4321")],
    )


@pytest.fixture
def search(agent_a):  # type: ignore[no-untyped-def]
    def run(q: str) -> set[int]:
        return set(contact_search(viewer=agent_a, q=q).values_list("pk", flat=True))

    return run


@pytest.mark.parametrize(
    "query",
    [
        "maria",
        "MAR sil",
        "jose",
        "silva maria",
        "pao quente",  # the organization
        "padaria mar",
        "gmail",  # a word of the address
        "maria.silva",
        "maria.silva@gmail.com",
        "MARIA.SILVA@GM",  # the start of an address
        "(11) 98765-4321",
        "+55 11 98765",  # the start of a number
        "11 98765",
    ],
)
def test_finds(search, maria, query):
    ContactFactory(name="João Pereira", identities=[("email", "joao@example.net")])
    assert search(query) == {maria.pk}


@pytest.mark.parametrize("query", ["ilva", "aria.silva@gmail.com", "98765", "silva joão", "+56 11"])
def test_does_not_find(search, maria, query):
    assert search(query) == set()


def test_changes_are_indexed(search, maria, index_sound):
    contact_update(contact=maria, name="Maria Oliveira")
    assert search("jose") == set()
    assert search("oliveira") == {maria.pk}
    organization_update(organization=maria.organization, name="Confeitaria Doce")
    assert search("padaria") == set()
    assert search("confeitaria") == {maria.pk}
    identity = identity_add(contact=maria, kind="email", value="mo@empresa.com.br")
    assert search("empresa") == {maria.pk}
    identity_remove(identity=identity)
    assert search("empresa") == set()
    index_sound()
    Contact.objects.filter(pk=maria.pk).delete()
    assert search("oliveira") == set()
    index_sound()


def test_merged_contacts_are_found_by_what_they_brought(search, maria, index_sound):
    other = ContactFactory(name="M. Silva", identities=[("email", "msilva@trabalho.com")])
    contact_merge(source=other, target=maria)
    assert search("msilva@trabalho.com") == {maria.pk}
    assert search("trabalho") == {maria.pk}
    assert ContactIdentity.objects.filter(contact=maria).count() == 3
    index_sound()


def test_the_contacts_page_and_api(client_for, api_for, agent_a, maria):
    ContactFactory(name="João Pereira")
    html = client_for(agent_a).get("/contacts/", {"q": "pao quente"}).content.decode()
    assert "Maria José da Silva" in html
    assert "João Pereira" not in html
    items = api_for(agent_a).get("/contacts?q=mar%20sil").json()["items"]
    assert [c["id"] for c in items] == [maria.pk]
