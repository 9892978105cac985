"""The acknowledgement of a new ticket: its number and when to expect an answer.

Template from the mailbox, else from the ticket's team, else the built-in text, in the
customer's language (pt-BR or English). Sent as an automatic message (Auto-Submitted:
auto-replied), so well-behaved auto-responders do not answer it.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Q
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.core.actors import Actor
from amparo.crm.models import ContactIdentity, IdentityKind
from amparo.inbox.models import AckTemplate, Mailbox
from amparo.portal.expectations import expected_response_hours
from amparo.tickets.models import Channel, Message, Ticket
from amparo.tickets.services import message_add


def _language(ticket: Ticket) -> str:
    lang = (ticket.language or ticket.contact.language or settings.LANGUAGE_CODE).lower()
    return "en" if lang.startswith("en") else "pt-br"


def _expected(ticket: Ticket) -> str:
    hours = expected_response_hours(ticket.priority)
    if not hours:
        return _("as soon as possible")
    if hours % 24 == 0 and hours >= 24:
        days = hours // 24
        return ngettext("within %(n)s day", "within %(n)s days", days) % {"n": days}
    return ngettext("within %(n)s hour", "within %(n)s hours", hours) % {"n": hours}


def render(ticket: Ticket, mailbox: Mailbox | None) -> tuple[str, str]:
    language = _language(ticket)
    with translation.override(language):
        context = {
            "ticket": {"number": ticket.pk, "subject": ticket.subject},
            "customer": {"name": ticket.contact.name, "first_name": ticket.contact.first_name},
            "expected_response": _expected(ticket),
        }
        owners = Q(mailbox=mailbox) if mailbox else Q(pk__in=[])
        if ticket.team_id:
            owners |= Q(team_id=ticket.team_id, mailbox__isnull=True)
        # The mailbox's own template wins over its team's.
        template = (
            AckTemplate.objects.filter(owners, language=language)
            .order_by(F("mailbox_id").desc(nulls_last=True))
            .first()
        )
        if template is not None:
            body_out = str(Template(template.body).render(Context(context, autoescape=False)))
            subject_out = str(Template(template.subject).render(Context(context, autoescape=False)))
            return subject_out, body_out
        subject = _("We received your request [#%(number)s]") % {"number": ticket.pk}
        greeting = (
            _("Hello %(name)s,") % {"name": ticket.contact.first_name}
            if ticket.contact.first_name
            else _("Hello,")
        )
        body = "\n\n".join(
            [
                greeting,
                _("We received your message and opened ticket #%(number)s: “%(subject)s”.")
                % {"number": ticket.pk, "subject": ticket.subject},
                _("A person from our team will answer %(when)s.")
                % {"when": context["expected_response"]},
                _("To add anything, just reply to this email."),
            ]
        )
        return subject, body


def acknowledge(*, ticket: Ticket, mailbox: Mailbox, to_address: str) -> Message | None:
    """Adds the acknowledgement to the ticket; its delivery job is stored in this transaction."""
    bouncing = ContactIdentity.objects.filter(
        kind=IdentityKind.EMAIL, value=to_address.lower(), bouncing_since__isnull=False
    ).exists()
    if bouncing:
        return None
    subject, body = render(ticket, mailbox)
    return message_add(
        ticket=ticket,
        actor=Actor.system(),
        body_text=body,
        channel=Channel.EMAIL,
        channel_meta={"email": {"auto": "ack", "subject": subject}},
        client_id=f"email-ack-{ticket.pk}",
    )
