"""Who did something: every service that changes a ticket is told, and the timeline records it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.crm.models import Contact


@dataclass(frozen=True)
class Actor:
    kind: str  # one of tickets.models.AuthorKind
    agent: User | None = None
    contact: Contact | None = None

    @classmethod
    def of_agent(cls, agent: User) -> Actor:
        return cls(kind="agent", agent=agent)

    @classmethod
    def of_contact(cls, contact: Contact) -> Actor:
        return cls(kind="contact", contact=contact)

    @classmethod
    def system(cls) -> Actor:
        return cls(kind="system")

    @classmethod
    def bot(cls) -> Actor:
        return cls(kind="bot")

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "agent_id": self.agent.pk if self.agent else None,
            "contact_id": self.contact.pk if self.contact else None,
        }
