"""Editing and creating contacts, and adding or removing their identities."""

from __future__ import annotations

import pytest

from amparo.core.models import CustomFieldDefinition, CustomFieldTarget, CustomFieldType
from amparo.crm.models import Contact, ContactIdentity
from amparo.testing.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_field(db):
    return CustomFieldDefinition.objects.create(
        target=CustomFieldTarget.CONTACT,
        key="plano",
        label="Plano",
        field_type=CustomFieldType.CHOICE,
        choices=["Bronze", "Ouro"],
    )


@pytest.fixture
def seats_field(db):
    return CustomFieldDefinition.objects.create(
        target=CustomFieldTarget.CONTACT,
        key="licencas",
        label="Licenças",
        field_type=CustomFieldType.NUMBER,
        position=1,
    )


def _form(**overrides):
    data = {
        "name": "Maria da Silva",
        "organization": "",
        "language": "",
        "time_zone": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_edit_form_renders_with_labels(client_for, agent_a, contact, plan_field):
    html = client_for(agent_a).get(f"/contacts/{contact.pk}/edit/").content.decode()
    for field in ["name", "organization", "language", "time_zone", "notes", "cf_plano"]:
        assert f'for="id_{field}"' in html, field


def test_edit_saves_every_field(client_for, agent_a, contact, plan_field, seats_field):
    org = OrganizationFactory(name="Padaria Pão Quente")
    response = client_for(agent_a).post(
        f"/contacts/{contact.pk}/edit/",
        _form(
            name="Maria Souza",
            organization="padaria pão quente",
            language="en",
            time_zone="Europe/Lisbon",
            notes="Cliente desde 2019.",
            cf_plano="Ouro",
            cf_licencas="12",
        ),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Maria Souza"
    assert contact.organization == org
    assert contact.language == "en"
    assert contact.time_zone == "Europe/Lisbon"
    assert contact.notes == "Cliente desde 2019."
    assert contact.custom_fields == {"plano": "Ouro", "licencas": 12}


def test_inline_edit_answers_with_the_details_card(client_for, agent_a, contact):
    response = client_for(agent_a).post(
        f"/contacts/{contact.pk}/edit/", _form(name="Maria S."), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="contact-card"' in html
    assert "<html" not in html
    contact.refresh_from_db()
    assert contact.name == "Maria S."


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"organization": "Empresa que não existe"}, "organization"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"language": "xx"}, "language"),
        ({"cf_plano": "Platina"}, "cf_plano"),
        ({"cf_licencas": "muitas"}, "cf_licencas"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_input_shows_errors_and_changes_nothing(
    client_for, agent_a, contact, plan_field, seats_field, overrides, field
):
    before = Contact.objects.values().get(pk=contact.pk)
    response = client_for(agent_a).post(
        f"/contacts/{contact.pk}/edit/",
        _form(**{"name": "Outro nome", "notes": "mudou", **overrides}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert Contact.objects.values().get(pk=contact.pk) == before


def test_required_custom_field_error_comes_from_the_service(client_for, agent_a, contact):
    CustomFieldDefinition.objects.create(
        target=CustomFieldTarget.CONTACT,
        key="cpf",
        label="CPF",
        field_type=CustomFieldType.TEXT,
        required=True,
    )
    response = client_for(agent_a).post(f"/contacts/{contact.pk}/edit/", _form(name="Outro"))
    assert response.status_code == 400
    assert 'id="id_cf_cpf_error"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.name == "Maria da Silva"


def test_add_identity_normalizes_it(client_for, agent_a, contact):
    response = client_for(agent_a).post(
        f"/contacts/{contact.pk}/identities/",
        {"kind": "phone", "value": "(11) 98765-4321"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "(11) 98765-4321" in response.content.decode()
    assert contact.identities.filter(kind="phone", value="+5511987654321").exists()


def test_add_identity_owned_by_another_contact_suggests_a_merge(client_for, agent_a, contact):
    other = ContactFactory(name="Maria S.", identities=[("email", "maria.s@example.org")])
    response = client_for(agent_a).post(
        f"/contacts/{contact.pk}/identities/",
        {"kind": "email", "value": "Maria.S@Example.org"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "merge the contacts" in html.lower()
    assert f"/contacts/{contact.pk}/merge/?other={other.pk}" in html
    assert ContactIdentity.objects.get(value="maria.s@example.org").contact == other


def test_add_invalid_identity_shows_the_error(client_for, agent_a, contact):
    response = client_for(agent_a).post(
        f"/contacts/{contact.pk}/identities/", {"kind": "email", "value": "não é email"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_value_error"' in html
    assert "<html" in html  # without htmx the whole page comes back
    assert contact.identities.count() == 1


def test_remove_identity(client_for, agent_a):
    contact = ContactFactory(identities=[("email", "a@example.org"), ("email", "b@example.org")])
    identity = contact.identities.get(value="b@example.org")
    client = client_for(agent_a)
    response = client.post(f"/contacts/{contact.pk}/identities/{identity.pk}/remove/")
    assert response.status_code == 302
    assert list(contact.identities.values_list("value", flat=True)) == ["a@example.org"]
    # An identity of another contact cannot be removed through this one.
    stranger = ContactFactory(identities=[("email", "c@example.org")]).identities.get()
    response = client.post(f"/contacts/{contact.pk}/identities/{stranger.pk}/remove/")
    assert response.status_code == 404
    assert ContactIdentity.objects.filter(pk=stranger.pk).exists()


def test_create_contact(client_for, agent_a):
    org = OrganizationFactory(name="Acme")
    response = client_for(agent_a).post(
        "/contacts/new/",
        _form(
            name="Carla Dias", email="Carla@Example.org", phone="11 3333-4444", organization="Acme"
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="Carla Dias")
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert contact.organization == org
    assert set(contact.identities.values_list("kind", "value")) == {
        ("email", "carla@example.org"),
        ("phone", "+551133334444"),
    }


def test_create_contact_with_a_known_email_points_to_the_existing_one(client_for, agent_a, contact):
    response = client_for(agent_a).post(
        "/contacts/new/", _form(name="Maria 2", email="maria@example.org")
    )
    assert response.status_code == 400
    assert f"/contacts/{contact.pk}/" in response.content.decode()
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [{"name": "", "email": "", "phone": ""}, {"email": "nope"}, {"phone": "12"}],
)
def test_create_contact_bad_input(client_for, agent_a, overrides):
    response = client_for(agent_a).post("/contacts/new/", _form(**{"name": "Alguém", **overrides}))
    assert response.status_code == 400
    assert Contact.objects.count() == 0
