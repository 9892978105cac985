from __future__ import annotations

import pytest

from amparo.tickets.models import Ticket


@pytest.fixture
def found():
    """Ids of the tickets a search finds, as an agent (default) or as a customer would."""
    from amparo.search.selectors import ticket_text_q

    def run(text: str, *, include_internal: bool = True) -> set[int]:
        q = ticket_text_q(text, include_internal=include_internal)
        return set(Ticket.objects.filter(q).values_list("pk", flat=True))

    return run


@pytest.fixture
def index_sound():
    """Asserts every index holds exactly what its rows say (FTS5 integrity-check against the
    content on SQLite; each document recomputed on PostgreSQL)."""
    from amparo.search.selectors import index_problems

    def check() -> None:
        assert index_problems(deep=True) == {"tickets": "", "contacts": ""}

    return check


@pytest.fixture
def client_for():
    """An English test client signed in as the given user."""
    from django.test import Client

    def make(user):  # type: ignore[no-untyped-def]
        client = Client(headers={"Accept-Language": "en"})
        client.force_login(user)
        return client

    return make


@pytest.fixture
def customer_of():
    """A contact with a portal account."""
    from amparo.accounts.models import Role, User
    from amparo.crm.models import Contact
    from amparo.testing.factories import PASSWORD, ContactFactory

    def make(name: str, email: str) -> Contact:
        contact = ContactFactory(name=name, identities=[("email", email)])
        user = User.objects.create_user(email, PASSWORD, name=name, role=Role.CUSTOMER)
        Contact.objects.filter(pk=contact.pk).update(user=user)
        contact.refresh_from_db()
        return contact

    return make
