"""Building and sending our mail: multipart text+HTML, attachments, threading headers, DKIM.

Our Message-ID is derived from the message (signed), so a retried send carries the same id
and a reply to any copy finds the ticket. Replies go out from the ticket team's mailbox, else
from the mailbox the customer wrote to, else the default mailbox.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from django.conf import settings
from django.utils import timezone

from amparo.core.crypto import decrypt
from amparo.crm.models import ContactIdentity, IdentityKind
from amparo.inbox.email.bodies import restore_remote_images
from amparo.inbox.email.threading import (
    instance_token,
    outgoing_message_id,
    reply_address,
    subject_tag,
)
from amparo.inbox.models import Direction, Mailbox, MailMessage, Security
from amparo.tickets.models import AuthorKind, Message, Ticket


@dataclass
class Outgoing:
    mailbox: Mailbox | None
    message_id: str
    from_address: str
    to: list[str]
    cc: list[str]
    subject: str
    data: bytes
    automatic: bool


def mailbox_for(ticket: Ticket) -> Mailbox | None:
    active = Mailbox.objects.filter(is_active=True)
    if ticket.team_id:
        by_team = active.filter(team_id=ticket.team_id).order_by("-is_default", "id").first()
        if by_team is not None:
            return by_team
    last_in = (
        MailMessage.objects.filter(
            ticket=ticket, direction=Direction.INBOUND, mailbox__is_active=True
        )
        .select_related("mailbox")
        .order_by("-id")
        .first()
    )
    if last_in is not None and last_in.mailbox is not None:
        return last_in.mailbox
    return active.order_by("-is_default", "id").first()


def _primary_email(contact_id: int) -> str:
    identities = ContactIdentity.objects.filter(contact_id=contact_id, kind=IdentityKind.EMAIL)
    identity = identities.order_by("-is_primary", "id").first()
    return identity.value if identity else ""


def recipients(ticket: Ticket) -> tuple[list[str], list[str]]:
    """The customer at the address they last wrote from; customers in copy as Cc."""
    last_in = (
        MailMessage.objects.filter(ticket=ticket, direction=Direction.INBOUND, kind="message")
        .exclude(from_address="")
        .order_by("-id")
        .first()
    )
    customer_addresses = set(
        ContactIdentity.objects.filter(
            contact_id=ticket.contact_id, kind=IdentityKind.EMAIL
        ).values_list("value", flat=True)
    )
    to = (
        last_in.from_address
        if last_in and last_in.from_address in customer_addresses
        else _primary_email(ticket.contact_id)
    )
    cc = [_primary_email(c.pk) for c in ticket.follower_contacts.all()]
    cc = [a for a in dict.fromkeys(cc) if a and a != to]
    return ([to] if to else []), cc


def _thread_headers(ticket: Ticket) -> tuple[str, list[str]]:
    last = MailMessage.objects.filter(ticket=ticket, kind="message").order_by("-id").first()
    if last is None:
        return "", []
    refs = [*last.references.split(), last.message_id]
    return last.message_id, refs[-20:]


def build(message: Message) -> Outgoing:
    ticket = message.ticket
    mailbox = mailbox_for(ticket)
    address = mailbox.address if mailbox else settings.DEFAULT_FROM_EMAIL
    domain = address.partition("@")[2] or "localhost"
    name = (mailbox.from_name if mailbox else "") or (ticket.team.name if ticket.team else "")
    automatic = message.author_kind in (AuthorKind.SYSTEM, AuthorKind.BOT)
    meta = (message.channel_meta or {}).get("email", {})
    subject = meta.get("subject") or f"Re: {ticket.subject}"
    if subject_tag(ticket.pk) not in subject:
        subject = f"{subject} {subject_tag(ticket.pk)}"
    to, cc = recipients(ticket)
    if automatic:
        cc = []
    msg = EmailMessage()
    msg_id = outgoing_message_id(ticket_id=ticket.pk, message_id=message.pk, domain=domain)
    msg["Message-ID"] = f"<{msg_id}>"
    msg["Date"] = format_datetime(timezone.now())
    msg["From"] = formataddr((name, address)) if name else address
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Reply-To"] = reply_address(mailbox_address=address, ticket_id=ticket.pk)
    msg["Subject"] = subject
    in_reply_to, refs = _thread_headers(ticket)
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
        msg["References"] = " ".join(f"<{r}>" for r in refs)
    msg["X-Amparo-Ticket"] = str(ticket.pk)
    msg["X-Amparo-Instance"] = instance_token()
    if automatic:
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
        msg["Precedence"] = "auto_reply"
    msg.set_content(message.body_text or " ")
    if message.body_html:
        html = message.body_html
        if message.author_kind == AuthorKind.AGENT:
            # An agent's own mail relayed to the customer: its remote images were only held
            # back from the desk (see bodies.block_remote_images).
            html = restore_remote_images(html)
        msg.add_alternative(f"<!doctype html><html><body>{html}</body></html>", subtype="html")
    for item in message.attachments.all():
        with item.file.open("rb") as handle:
            data = handle.read()
        maintype, _slash, subtype = item.content_type.partition("/")
        msg.add_attachment(
            data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=item.filename,
            cid=f"<{item.content_id}>" if item.content_id else None,
        )
    # SMTP wants CRLF line ends; smtplib does not convert bytes.
    data = msg.as_bytes(policy=policy.SMTP)
    if mailbox is not None and mailbox.dkim_private_key_encrypted:
        data = dkim_sign(data, mailbox)
    return Outgoing(mailbox, msg_id, address, to, cc, subject, data, automatic)


def dkim_sign(data: bytes, mailbox: Mailbox) -> bytes:
    import dkim

    key = decrypt(mailbox.dkim_private_key_encrypted).encode()
    domain = mailbox.dkim_domain or mailbox.address.partition("@")[2]
    header = dkim.sign(
        data,
        mailbox.dkim_selector.encode(),
        domain.encode(),
        key,
        include_headers=[b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"reply-to"],
    )
    return bytes(header) + data


def smtp_send(outgoing: Outgoing) -> None:
    """Hands the mail to the mailbox's SMTP server; raises smtplib errors as they come."""
    mailbox = outgoing.mailbox
    if mailbox is not None and mailbox.smtp_host:
        host, port, security = mailbox.smtp_host, mailbox.smtp_port, mailbox.smtp_security
        user = mailbox.smtp_username
        password = (
            decrypt(mailbox.smtp_password_encrypted) if mailbox.smtp_password_encrypted else ""
        )
    else:
        host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
        security = (
            Security.SSL
            if settings.EMAIL_USE_SSL
            else Security.STARTTLS
            if settings.EMAIL_USE_TLS
            else Security.NONE
        )
        user, password = settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD
    context = ssl.create_default_context()
    timeout = settings.EMAIL_TIMEOUT
    client: smtplib.SMTP
    if security == Security.SSL:
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        client.ehlo()
        if security == Security.STARTTLS:
            client.starttls(context=context)
            client.ehlo()
        if user:
            client.login(user, password)
        client.sendmail(outgoing.from_address, [*outgoing.to, *outgoing.cc], outgoing.data)
