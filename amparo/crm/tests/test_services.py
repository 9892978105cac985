"""Identity state learnt from the channels (verified, bouncing) and the portal account link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from amparo.accounts.models import Role, User
from amparo.core.errors import Conflict
from amparo.crm.models import ContactIdentity
from amparo.crm.services import (
    contact_create,
    contact_set_user,
    identity_clear_bouncing,
    identity_mark_bouncing,
    identity_mark_verified,
)

pytestmark = pytest.mark.django_db


def _identity(value: str) -> ContactIdentity:
    return ContactIdentity.objects.get(value=value)


def test_bouncing_marks_known_addresses_keeps_the_first_date_and_shows_on_the_contact(
    contact, agent_a, client_for
):
    other = contact_create(name="João", identities=[("email", "joao@example.org")])
    assert (
        identity_mark_bouncing(
            addresses=["Maria@Example.org ", "x@nowhere.example"], reason="550 user unknown"
        )
        == 1
    )
    maria = _identity("maria@example.org")
    first_since = maria.bouncing_since
    assert first_since is not None and maria.bounce_reason == "550 user unknown"
    assert _identity("joao@example.org").bouncing_since is None
    assert not ContactIdentity.objects.filter(value="x@nowhere.example").exists()

    # A second bounce is not news: the date stays, the reason is the latest.
    ContactIdentity.objects.filter(pk=maria.pk).update(
        bouncing_since=first_since - timedelta(days=3)
    )
    assert identity_mark_bouncing(addresses=["maria@example.org"], reason="552 mailbox full") == 0
    maria.refresh_from_db()
    assert maria.bouncing_since == first_since - timedelta(days=3)
    assert maria.bounce_reason == "552 mailbox full"

    html = client_for(agent_a).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Bouncing" in html and "552 mailbox full" in html
    assert "Bouncing" not in client_for(agent_a).get(f"/contacts/{other.pk}/").content.decode()


def test_clearing_bouncing_lets_mail_go_to_the_address_again(contact, agent_a, client_for):
    identity_mark_bouncing(addresses=["maria@example.org"], reason="550 user unknown")
    assert identity_clear_bouncing(kind="email", value="MARIA@example.org") is True
    maria = _identity("maria@example.org")
    assert maria.bouncing_since is None and maria.bounce_reason == ""
    assert identity_clear_bouncing(kind="email", value="maria@example.org") is False
    assert identity_clear_bouncing(kind="email", value="unknown@example.org") is False
    html = client_for(agent_a).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Bouncing" not in html and "550 user unknown" not in html


def test_marking_verified_once_and_shown_on_the_contact(contact, agent_a, client_for):
    identity = _identity("maria@example.org")
    page = f"/contacts/{contact.pk}/"
    assert ">verified<" not in client_for(agent_a).get(page).content.decode()
    assert identity_mark_verified(identity=identity) is True
    assert identity_mark_verified(identity=identity) is False
    assert _identity("maria@example.org").verified
    assert ">verified<" in client_for(agent_a).get(page).content.decode()


def test_contact_set_user_links_once_and_refuses_to_move_an_account(contact):
    user = User.objects.create_user("maria@example.org", None, name="Maria", role=Role.CUSTOMER)
    contact_set_user(contact=contact, user=user)
    contact.refresh_from_db()
    assert contact.user == user
    contact_set_user(contact=contact, user=user)  # the same link again changes nothing

    stranger = contact_create(name="Outra", identities=[("email", "outra@example.org")])
    with pytest.raises(Conflict):
        contact_set_user(contact=stranger, user=user)
    other_user = User.objects.create_user("o@example.org", None, name="O", role=Role.CUSTOMER)
    with pytest.raises(Conflict):
        contact_set_user(contact=contact, user=other_user)
    contact.refresh_from_db()
    assert contact.user == user

    before = contact.updated_at
    contact_set_user(contact=contact, user=None)
    contact.refresh_from_db()
    assert contact.user is None and contact.updated_at >= before
