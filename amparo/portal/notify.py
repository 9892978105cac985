"""The web channel's outbound side: a customer learns by mail that their request has an answer.

Replies on the portal need no delivery (the customer reads them there), but nobody watches a
web page all day: each public reply from the team to a web request mails the customer a copy
with a link back to the request. The link is not a sign-in link, so a forwarded notification
opens nothing by itself.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.crm.models import ContactIdentity, IdentityKind
from amparo.tickets.delivery import register_sender, sender_for
from amparo.tickets.models import Channel, DeliveryStatus, Message
from amparo.tickets.services import message_set_delivery


def register() -> None:
    if sender_for(Channel.WEB) is None:
        register_sender(Channel.WEB, _enqueue)


def _enqueue(message_id: int) -> None:
    from amparo.portal.tasks import web_reply_notify

    web_reply_notify.enqueue(message_id)


def customer_address(contact_id: int) -> str:
    identity = (
        ContactIdentity.objects.filter(
            contact_id=contact_id, kind=IdentityKind.EMAIL, bouncing_since__isnull=True
        )
        .order_by("-is_primary", "id")
        .first()
    )
    return identity.value if identity else ""


def web_reply_deliver(*, message_id: int) -> None:
    """Mails one reply to its customer, once; the job calls this and may call it twice."""
    from amparo.portal.emails import send_reply_notification

    with transaction.atomic():
        message = (
            # Lock the message row only: the author may be null (an outer join).
            Message.objects.select_for_update(of=("self",))
            .select_related("ticket", "ticket__contact", "author_agent")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.delivery_status != DeliveryStatus.QUEUED:
            return
        address = customer_address(message.ticket.contact_id)
        if not address:
            message_set_delivery(
                message=message,
                status=DeliveryStatus.FAILED,
                error=_("The customer has no email address to notify."),
            )
            return
        copied = [
            customer_address(pk)
            for pk in message.ticket.follower_contacts.values_list("pk", flat=True)
        ]
        cc = [a for a in dict.fromkeys(copied) if a and a != address]
        # Sent inside the transaction: a refused mail leaves the message queued for the retry.
        send_reply_notification(message=message, to=address, cc=cc)
        message_set_delivery(message=message, status=DeliveryStatus.SENT)
