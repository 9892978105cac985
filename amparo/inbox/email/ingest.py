"""Every inbound mail (IMAP, pipe, smtpd, webhooks) ends here: a message, a bounce, or quarantine.

One transaction per mail. A unique row per Message-ID (``MailMessage``) is written before the
ticket work, so the same mail arriving twice at once — through two mailboxes, or a retried
fetch — waits on that row and then finds it: one ticket, one message.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.utils.translation import gettext as _

from amparo.accounts.selectors import agent_for_email
from amparo.core.actors import Actor
from amparo.core.errors import DomainError
from amparo.crm.models import Contact, ContactIdentity, IdentityKind
from amparo.crm.services import contact_get_or_create_by_identity, identity_clear_bouncing
from amparo.inbox.base import post_inbound
from amparo.inbox.email import agents, bounces, flood
from amparo.inbox.email.classify import AUTO_REPLY, BOUNCE, LIST, Verdict, classify
from amparo.inbox.email.parse import ParsedMail, parse
from amparo.inbox.email.quarantine import quarantine_add, store_raw
from amparo.inbox.email.threading import find_ticket, instance_token
from amparo.inbox.models import (
    BlockedSender,
    Direction,
    Mailbox,
    MailKind,
    MailMessage,
    QuarantineReason,
)
from amparo.tickets.models import Channel
from amparo.tickets.services import ticket_add_contact_follower

logger = logging.getLogger(__name__)
MAX_FOLLOWERS = 20
MAX_TEXT = 150_000
MAX_HTML = 1_000_000


@dataclass(frozen=True)
class IngestResult:
    outcome: str  # ticket, message, note, bounce, duplicate, quarantined
    ticket_id: int | None = None
    message_id: int | None = None
    mail_id: int | None = None
    quarantine_id: int | None = None


class _Quarantine(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def ingest(
    raw: bytes,
    *,
    source: str,
    mailbox: Mailbox | None = None,
    envelope_recipients: Iterable[str] = (),
    trusted: bool = False,
    on_stored: Callable[[], None] | None = None,
) -> IngestResult:
    """Processes one mail. Never raises for the mail's sake; only when the database is down.

    ``on_stored`` runs inside the same transaction as the result (the IMAP fetch advances
    its UID there, so a crash leaves either both or neither). ``trusted`` skips the noise
    filters: an administrator reprocessing quarantined mail vouched for it.
    """
    parsed: ParsedMail | None = None
    try:
        with transaction.atomic():
            try:
                if len(raw) > settings.MAIL_MAX_BYTES:
                    raise _Quarantine(QuarantineReason.TOO_LARGE, f"{len(raw)} bytes")
                try:
                    parsed = parse(raw)
                except Exception as exc:
                    raise _Quarantine(QuarantineReason.PARSE_ERROR, repr(exc)) from exc
                result = _process(parsed, raw, source, mailbox, list(envelope_recipients), trusted)
            except _Quarantine as q:
                result = _quarantine(raw, q.reason, q.detail, parsed, mailbox, source)
            if on_stored is not None:
                on_stored()
            return result
    except (OperationalError, InterfaceError):
        raise
    except (DatabaseError, Exception):
        logger.exception("mail could not be processed; quarantined")
        detail = traceback.format_exc(limit=8)
        with transaction.atomic():
            result = _quarantine(raw, QuarantineReason.ERROR, detail, parsed, mailbox, source)
            if on_stored is not None:
                on_stored()
        return result


def _quarantine(
    raw: bytes,
    reason: str,
    detail: str,
    parsed: ParsedMail | None,
    mailbox: Mailbox | None,
    source: str,
) -> IngestResult:
    item = quarantine_add(
        raw=raw,
        reason=reason,
        detail=detail,
        mailbox=mailbox,
        source=source,
        sender=parsed.from_address if parsed else "",
        subject=parsed.subject if parsed else "",
        message_id=parsed.message_id if parsed else "",
    )
    return IngestResult("quarantined", quarantine_id=item.pk)


def our_addresses() -> set[str]:
    return {a.lower() for a in Mailbox.objects.values_list("address", flat=True)}


def _base_address(address: str) -> str:
    local, _at, domain = address.lower().partition("@")
    return f"{local.partition('+')[0]}@{domain}"


def resolve_mailbox(parsed: ParsedMail, envelope: list[str]) -> Mailbox | None:
    wanted = [_base_address(a) for a in [*envelope, *parsed.delivered_to, *parsed.to, *parsed.cc]]
    by_address = {m.address.lower(): m for m in Mailbox.objects.filter(is_active=True)}
    for address in wanted:
        if address in by_address:
            return by_address[address]
    return Mailbox.objects.filter(is_active=True, is_default=True).first()


def _process(
    parsed: ParsedMail,
    raw: bytes,
    source: str,
    mailbox: Mailbox | None,
    envelope: list[str],
    trusted: bool,
) -> IngestResult:
    mailbox = mailbox or resolve_mailbox(parsed, envelope)
    ours = our_addresses()
    existing = MailMessage.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        if existing.direction == Direction.OUTBOUND and not trusted:
            raise _Quarantine(QuarantineReason.LOOP, _("Our own mail came back."))
        return IngestResult(
            "duplicate", existing.ticket_id, existing.ticket_message_id, existing.pk
        )
    if not trusted:
        if parsed.header("X-Amparo-Instance") == instance_token():
            raise _Quarantine(QuarantineReason.LOOP, _("Our own mail came back."))
        if _base_address(parsed.from_address) in ours:
            raise _Quarantine(QuarantineReason.LOOP, _("Sent from one of our own mailboxes."))
    verdict = classify(parsed)
    if verdict.kind == BOUNCE and verdict.bounce is not None:
        handled = bounces.handle(parsed, verdict.bounce, mailbox=mailbox, source=source)
        if handled is not None:
            return handled
        if not trusted:
            raise _Quarantine(QuarantineReason.BOUNCE, verdict.why)
    if not parsed.from_address:
        raise _Quarantine(QuarantineReason.NO_SENDER, _("The mail has no sender address."))
    if not trusted:
        if _is_blocked(parsed.from_address):
            raise _Quarantine(QuarantineReason.BLOCKED, parsed.from_address)
        if flood.over_limit(parsed.from_address):
            raise _Quarantine(QuarantineReason.FLOOD, parsed.from_address)
    known = _known_contact(parsed.from_address)
    agent = agent_for_email(parsed.from_address)
    ticket, rule = find_ticket(parsed, known, agent=agent)
    if not trusted and ticket is None and verdict.kind in (AUTO_REPLY, LIST):
        reason = (
            QuarantineReason.AUTO_REPLY if verdict.kind == AUTO_REPLY else QuarantineReason.LIST
        )
        raise _Quarantine(reason, verdict.why)
    automatic = verdict.kind in (AUTO_REPLY, BOUNCE) and not trusted
    if (
        agent is not None
        and ticket is not None
        and (known is None or ticket.contact_id != known.pk)
    ):
        # An agent writing on a ticket that is not their own request: never the customer.
        return agents.post(
            parsed, raw, source, mailbox, ticket, rule, agent=agent, automatic=automatic
        )
    return _post(parsed, raw, source, mailbox, ours, verdict, ticket, rule, automatic)


def _post(
    parsed: ParsedMail,
    raw: bytes,
    source: str,
    mailbox: Mailbox | None,
    ours: set[str],
    verdict: Verdict,
    ticket: object,
    rule: str,
    automatic: bool,
) -> IngestResult:
    from amparo.inbox.email import ack
    from amparo.tickets.models import Ticket

    assert ticket is None or isinstance(ticket, Ticket)
    try:
        contact = contact_get_or_create_by_identity(
            kind=IdentityKind.EMAIL, value=parsed.from_address, name=parsed.from_name
        )
    except DomainError as exc:
        raise _Quarantine(QuarantineReason.NO_SENDER, exc.message) from exc
    kind = MailKind.AUTO_REPLY if automatic else MailKind.MESSAGE
    mail = claim_mail(parsed, raw, source, mailbox, kind)
    if mail is None:
        found = MailMessage.objects.get(message_id=parsed.message_id)
        return IngestResult("duplicate", found.ticket_id, found.ticket_message_id, found.pk)
    text, attachments = body_and_attachments(parsed)
    meta = channel_meta(parsed, mail, mailbox, rule, automatic=verdict.why if automatic else "")
    if automatic:
        # An auto-responder is not the customer speaking: an internal note, no reopening.
        text, meta = with_preface(
            _("Automatic reply received from %(sender)s:") % {"sender": parsed.from_address},
            text,
            meta,
        )
    posted = post_inbound(
        channel=Channel.EMAIL,
        contact=contact,
        ticket=ticket,
        subject=parsed.subject or _("(no subject)"),
        external_id=parsed.message_id,
        body_text=text,
        body_html="" if automatic or len(parsed.html) > MAX_HTML else parsed.html,
        team=mailbox.team if mailbox else None,
        channel_meta=meta,
        attachments=attachments,
        actor=Actor.system() if automatic else None,
        is_internal=automatic,
    )
    mail.ticket = posted.ticket
    mail.ticket_message = posted.message
    mail.save(update_fields=["ticket", "ticket_message"])
    if not automatic:
        _add_followers(posted.ticket, parsed, contact, ours)
        # The customer wrote from this address, so it works again: mail to it may resume.
        identity_clear_bouncing(kind=IdentityKind.EMAIL, value=parsed.from_address)
    if posted.new_ticket and verdict.may_auto_reply and mailbox and mailbox.auto_acknowledge:
        ack.acknowledge(ticket=posted.ticket, mailbox=mailbox, to_address=parsed.from_address)
    outcome = "note" if automatic else ("ticket" if posted.new_ticket else "message")
    return IngestResult(outcome, posted.ticket.pk, posted.message.pk, mail.pk)


def channel_meta(
    parsed: ParsedMail,
    mail: MailMessage,
    mailbox: Mailbox | None,
    rule: str,
    *,
    automatic: str = "",
) -> dict[str, Any]:
    """What the desk and the outbound side need to know of the mail behind a message."""
    return {
        "email": {
            "mail_id": mail.pk,
            "mailbox_id": mailbox.pk if mailbox else None,
            "from": parsed.from_address,
            "to": parsed.to[:50],
            "cc": parsed.cc[:50],
            "subject": parsed.subject,
            "thread_rule": rule,
            "collapse_from": parsed.collapse_from,
            "remote_images": parsed.remote_images,
            "calendar": parsed.calendar,
            "automatic": automatic,
        }
    }


def with_preface(preface: str, text: str, meta: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``text`` under an explanatory first paragraph; the quote offset moves with the text."""
    text = preface + "\n\n" + text
    offset = meta["email"].get("collapse_from")
    if isinstance(offset, int):
        meta["email"]["collapse_from"] = offset + len(preface) + 2
    return text, meta


def claim_mail(
    parsed: ParsedMail, raw: bytes, source: str, mailbox: Mailbox | None, kind: str
) -> MailMessage | None:
    """The row that makes this Message-ID ours; None when another delivery already has it."""
    mail = MailMessage(
        direction=Direction.INBOUND,
        kind=kind,
        message_id=parsed.message_id,
        mailbox=mailbox,
        in_reply_to=(parsed.in_reply_to[0] if parsed.in_reply_to else ""),
        references=" ".join(parsed.references)[:10000],
        subject=parsed.subject,
        from_address=parsed.from_address[:320],
        to_addresses=parsed.to[:50],
        cc_addresses=parsed.cc[:50],
        source=source,
        size=len(raw),
        sha256=parsed.sha256,
    )
    mail.raw.name = store_raw(raw, parsed.sha256)
    try:
        with transaction.atomic():
            mail.save()
    except IntegrityError:
        return None
    return mail


def body_and_attachments(parsed: ParsedMail) -> tuple[str, list]:
    text = parsed.text
    kept = []
    dropped = []
    for item in parsed.attachments:
        if len(item.data) > settings.ATTACHMENT_MAX_BYTES:
            dropped.append(item.filename)
        elif item.data:
            kept.append(item)
    if dropped:
        text += "\n\n" + _(
            "Attachments over the size limit are kept only in the original email: %(names)s"
        ) % {"names": ", ".join(dropped)}
    if not text.strip() and not parsed.html:
        text = _("(This email had no text.)")
    if len(text) > MAX_TEXT:
        # Pasted logs and the like: the message shows the start, the .eml keeps everything.
        text = (
            text[:MAX_TEXT]
            + "\n\n"
            + _("(Text shortened; the full text is in the original email.)")
        )
    return text, kept


def _known_contact(address: str) -> Contact | None:
    identity = (
        ContactIdentity.objects.select_related("contact")
        .filter(kind=IdentityKind.EMAIL, value=address.lower())
        .first()
    )
    return identity.contact if identity else None


def _is_blocked(address: str) -> bool:
    address = address.lower()
    domain = "@" + address.partition("@")[2]
    return BlockedSender.objects.filter(pattern__in=[address, domain]).exists()


def _add_followers(ticket: object, parsed: ParsedMail, sender: Contact, ours: set[str]) -> None:
    from amparo.accounts.models import User
    from amparo.tickets.models import Ticket

    assert isinstance(ticket, Ticket)
    candidates = [
        a
        for a in dict.fromkeys([*parsed.to, *parsed.cc])
        if _base_address(a) not in ours and a != parsed.from_address
    ][:MAX_FOLLOWERS]
    if (
        sender.pk != ticket.contact_id
        and not User.objects.filter(email=parsed.from_address).exists()
    ):
        # Someone else on the customer's side joined the thread: they get the replies too.
        ticket_add_contact_follower(ticket=ticket, actor=Actor.of_contact(sender), contact=sender)
    agents = set(User.objects.filter(email__in=candidates).values_list("email", flat=True))
    for address in candidates:
        if address in agents:
            continue
        try:
            person = contact_get_or_create_by_identity(kind=IdentityKind.EMAIL, value=address)
        except DomainError:
            continue
        if person.pk != sender.pk:
            ticket_add_contact_follower(
                ticket=ticket, actor=Actor.of_contact(sender), contact=person
            )
