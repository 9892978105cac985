"""Fixtures of the portal tests: customers with portal accounts, and running queued mail jobs."""

from __future__ import annotations

import pytest

from amparo.accounts.models import Role, User
from amparo.crm.models import Contact
from amparo.testing.factories import PASSWORD, ContactFactory


def make_customer(name: str, email: str, **kwargs) -> Contact:
    contact = ContactFactory(name=name, identities=[("email", email)], **kwargs)
    user = User.objects.create_user(email, PASSWORD, name=name, role=Role.CUSTOMER)
    Contact.objects.filter(pk=contact.pk).update(user=user)
    contact.refresh_from_db()
    return contact


@pytest.fixture
def client():
    """An English-speaking browser (the site's default language is pt-BR)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def customer(db) -> Contact:
    return make_customer("Maria da Silva", "maria@example.org")


@pytest.fixture
def other_customer(db) -> Contact:
    return make_customer("João Pereira", "joao@example.net")


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer.user)
    return client


@pytest.fixture
def run_mail_jobs():
    """Runs the queued mail jobs the way a worker does, in this process."""

    def run() -> None:
        # db_worker closes the database connection when done, which ends a test transaction;
        # this claims and runs each ready job like it does, minus the connection handling.
        from django_tasks_db.models import DBTaskResult

        while (row := DBTaskResult.objects.ready().filter(queue_name="mail").first()) is not None:
            row.claim("test")
            row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
            row.set_successful(None)

    return run
