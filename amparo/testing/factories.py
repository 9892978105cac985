"""factory_boy factories for tests, benchmarks and demo helpers. Writes go through services."""

from __future__ import annotations

from typing import Any

import factory

from amparo.accounts.models import Role, Team, User
from amparo.accounts.services import agent_create, team_create
from amparo.core.actors import Actor
from amparo.crm.models import Contact, IdentityKind, Organization
from amparo.crm.services import contact_create, organization_create
from amparo.tickets.models import Channel, Ticket
from amparo.tickets.services import ticket_create

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class TeamFactory(factory.Factory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Equipe {n}")

    @classmethod
    def _create(cls, model_class: type[Team], *args: Any, **kwargs: Any) -> Team:
        return team_create(**kwargs)


class AgentFactory(factory.Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"agente{n}@example.com")
    name = factory.Sequence(lambda n: f"Agente {n}")
    role = Role.AGENT
    password = PASSWORD
    teams: list[Team] = []

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return agent_create(validate=False, **kwargs)


class OrganizationFactory(factory.Factory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Empresa {n} Ltda")

    @classmethod
    def _create(cls, model_class: type[Organization], *args: Any, **kwargs: Any) -> Organization:
        return organization_create(**kwargs)


class ContactFactory(factory.Factory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Cliente {n}")
    identities = factory.LazyAttributeSequence(
        lambda o, n: [(IdentityKind.EMAIL, f"cliente{n}@example.org")]
    )

    @classmethod
    def _create(cls, model_class: type[Contact], *args: Any, **kwargs: Any) -> Contact:
        return contact_create(**kwargs)


def make_ticket(
    *,
    contact: Contact | None = None,
    team: Team | None = None,
    assignee: User | None = None,
    subject: str = "Não consigo emitir a nota fiscal",
    body: str = "Olá, o sistema mostra um erro ao emitir a nota.",
    **kwargs: Any,
) -> Ticket:
    contact = contact or ContactFactory()
    return ticket_create(
        contact=contact,
        subject=subject,
        channel=kwargs.pop("channel", Channel.EMAIL),
        actor=kwargs.pop("actor", None) or Actor.of_contact(contact),
        body_text=body,
        team=team,
        assignee=assignee,
        **kwargs,
    )
