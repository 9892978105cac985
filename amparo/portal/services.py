"""Writes of the portal: sign-in links, customer accounts, and customer actions on tickets.

Ticket changes go through amparo.tickets.services with the contact as the actor, so the
timeline, notifications and webhooks are the same as for any other channel.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Role, User
from amparo.accounts.selectors import agent_for_email
from amparo.core.actors import Actor
from amparo.core.customfields import Required
from amparo.core.errors import Conflict, DomainError, NotFound
from amparo.crm.models import Contact, ContactIdentity, IdentityKind
from amparo.crm.normalize import normalize_email
from amparo.crm.services import (
    contact_get_or_create_by_identity,
    contact_set_user,
    identity_mark_verified,
)
from amparo.portal import ratelimit
from amparo.portal.models import SignInLink, SignInLinkStatus
from amparo.portal.selectors import contact_for_email, customer_custom_fields
from amparo.tickets.models import OPEN_STATUSES, Channel, Message, Status, Ticket
from amparo.tickets.services import NewAttachment, message_add, ticket_create, ticket_update


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_email(email: str) -> str:
    try:
        return normalize_email(email)
    except DomainError as exc:
        raise DomainError(exc.message, field="email") from exc


def _check_ip(scope: str, ip: str | None, limit: int) -> None:
    if ip and not ratelimit.hit(scope, ip, limit=limit):
        raise RateLimited(_("Too many attempts from your network. Please try again in an hour."))


# --- Sign-in links --------------------------------------------------------------------------------


@transaction.atomic
def sign_in_link_request(
    *,
    email: str,
    ip: str | None,
    language: str = "",
    next_path: str = "",
    ticket: Ticket | None = None,
    check_ip: bool = True,
) -> SignInLink | None:
    """Queues a magic link for ``email``. Known or not, the caller sees the same outcome.

    Whether the address belongs to a customer is decided by the mail job, so this request
    does the same work (and takes the same time) for every address. Past the per-address
    limit nothing is queued, silently, so the limit does not reveal anything either.
    """
    email = _clean_email(email)
    if check_ip:
        _check_ip("signin-ip", ip, settings.PORTAL_SIGNIN_PER_IP_HOUR)
    if not ratelimit.hit("signin-addr", email, limit=settings.PORTAL_SIGNIN_PER_ADDRESS_HOUR):
        return None
    from amparo.portal.tasks import sign_in_link_send

    link = SignInLink.objects.create(
        email=email,
        ticket=ticket,
        next_path=next_path[:300],
        language=language[:8],
        requested_ip=ip or None,
    )
    sign_in_link_send.enqueue(link.pk)
    return link


def sign_in_link_deliver(*, link_id: int) -> None:
    """Makes the token and mails it, once; the job calls this and may call it twice."""
    from amparo.portal.emails import send_sign_in_link

    with transaction.atomic():
        link = SignInLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None or link.status != SignInLinkStatus.PENDING:
            return
        contact = contact_for_email(link.email)
        if contact is None or _is_agent_address(link.email, contact):
            link.status = SignInLinkStatus.SKIPPED
            link.save(update_fields=["status"])
            return
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        link.token_hash = _hash(token)
        link.status = SignInLinkStatus.SENT
        link.sent_at = now
        link.expires_at = now + timedelta(minutes=settings.PORTAL_LINK_MINUTES)
        link.save(update_fields=["token_hash", "status", "sent_at", "expires_at"])
        # Sent inside the transaction: if the mail server refuses, the row stays pending and
        # the job's retry makes a fresh token; a link is never marked sent without a mail.
        send_sign_in_link(link=link, token=token, contact=contact)


def _is_agent_address(email: str, contact: Contact) -> bool:
    # Agents sign in at /account/ with their second factor; a portal link must not bypass it.
    if agent_for_email(email) is not None:
        return True
    return bool(contact.user_id and contact.user and contact.user.is_agent)


def sign_in_link_check(*, token: str) -> SignInLink:
    """The usable link for ``token``, without using it (the confirmation page shows first)."""
    link = SignInLink.objects.filter(token_hash=_hash(token), status=SignInLinkStatus.SENT).first()
    if link is None or link.expires_at is None or link.expires_at <= timezone.now():
        raise NotFound(_("This sign-in link has expired or was already used."))
    return link


@transaction.atomic
def sign_in_link_consume(*, token: str) -> tuple[User, SignInLink]:
    """Uses the link once and returns the customer's account, created on first sign-in."""
    link = (
        SignInLink.objects.select_for_update()
        .filter(token_hash=_hash(token), status=SignInLinkStatus.SENT)
        .first()
    )
    now = timezone.now()
    if link is None or link.expires_at is None or link.expires_at <= now:
        raise NotFound(_("This sign-in link has expired or was already used."))
    link.status = SignInLinkStatus.USED
    link.used_at = now
    link.save(update_fields=["status", "used_at"])
    # Older links of this address are no longer needed: a stolen mailbox copy is then useless.
    SignInLink.objects.filter(email=link.email, status=SignInLinkStatus.SENT).exclude(
        pk=link.pk
    ).update(status=SignInLinkStatus.REVOKED)
    contact = contact_for_email(link.email)
    if contact is None or _is_agent_address(link.email, contact):
        raise NotFound(_("This sign-in link has expired or was already used."))
    user = customer_account_for(contact=contact, email=link.email, language=link.language)
    # Opening a link that was mailed to the address proves the customer reads it.
    identity = ContactIdentity.objects.filter(kind=IdentityKind.EMAIL, value=link.email).first()
    if identity is not None:
        identity_mark_verified(identity=identity)
    return user, link


@transaction.atomic
def customer_account_for(*, contact: Contact, email: str, language: str = "") -> User:
    """The portal account of ``contact``; made on first sign-in, without a password."""
    if contact.user_id:
        user = User.objects.get(pk=contact.user_id)
        if user.is_agent or not user.is_active:
            raise NotFound(_("This sign-in link has expired or was already used."))
        return user
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        user = existing
        # A customer account left without a contact (its contact was deleted): adopt it.
        if user.role != Role.CUSTOMER or not user.is_active or hasattr(user, "contact"):
            raise Conflict(_("This address is used by another account."), field="email")
    else:
        user = User.objects.create_user(
            email,
            None,
            name=contact.name or email.partition("@")[0],
            role=Role.CUSTOMER,
            language=contact.language or _language_code(language),
            time_zone=contact.time_zone,
        )
    contact_set_user(contact=contact, user=user)
    return user


def _language_code(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (language or "").lower().replace("_", "-")
    return language if language in codes else ""


@transaction.atomic
def customer_password_set(*, user: User, password: str) -> None:
    if user.role != Role.CUSTOMER:
        raise DomainError(_("Only customers set their password here."), field="password")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def customer_language_set(*, user: User, language: str) -> None:
    code = _language_code(language)
    if not code:
        raise DomainError(_("Unknown language."), field="language")
    User.objects.filter(pk=user.pk).update(language=code)
    user.language = code


def password_sign_in_allowed(*, email: str, ip: str | None) -> None:
    """Counts a password attempt against the address and the network; raises when past limits."""
    _check_ip("password-ip", ip, settings.PORTAL_SIGNIN_PER_IP_HOUR)
    limit = settings.PORTAL_SIGNIN_PER_ADDRESS_HOUR * 2
    if not ratelimit.hit("password-addr", email.strip().lower(), limit=limit):
        raise RateLimited(_("Too many attempts for this address. Please try again in an hour."))


# --- Tickets --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    subject: str
    description: str
    attachments: list[NewAttachment]
    custom_fields: dict[str, Any]


def _clean_customer_fields(values: dict[str, Any]) -> dict[str, Any]:
    allowed = set(customer_custom_fields().values_list("key", flat=True))
    for key in values:
        if key not in allowed:
            raise DomainError(
                _("Unknown custom field “%(key)s”.") % {"key": key}, field=f"custom_fields.{key}"
            )
    return {key: value for key, value in values.items() if value not in (None, "")}


@transaction.atomic
def portal_ticket_submit(*, contact: Contact, submission: Submission, language: str = "") -> Ticket:
    """A request from a signed-in customer (or a visitor, see below), on the web channel."""
    if not submission.description.strip() and not submission.attachments:
        raise DomainError(_("Please describe what you need."), field="description")
    return ticket_create(
        contact=contact,
        subject=submission.subject,
        channel=Channel.WEB,
        actor=Actor.of_contact(contact),
        body_text=submission.description,
        custom_fields=_clean_customer_fields(submission.custom_fields),
        language=_language_code(language) or contact.language,
        attachments=submission.attachments,
        required_fields=Required.CUSTOMER,
    )


@transaction.atomic
def portal_ticket_submit_anonymous(
    *, name: str, email: str, submission: Submission, ip: str | None, language: str = ""
) -> Ticket:
    """A request from a visitor who is not signed in: finds or makes their contact, files the
    ticket, and mails a sign-in link so they can follow it."""
    _check_ip("submit-ip", ip, settings.PORTAL_SUBMIT_PER_IP_HOUR)
    email = _clean_email(email)
    name = " ".join(name.split())[:200]
    if not name:
        raise DomainError(_("Please tell us your name."), field="name")
    contact = contact_get_or_create_by_identity(
        kind=IdentityKind.EMAIL, value=email, name=name, language=_language_code(language)
    )
    ticket = portal_ticket_submit(contact=contact, submission=submission, language=language)
    sign_in_link_request(
        email=email, ip=ip, language=language, ticket=ticket, next_path="", check_ip=False
    )
    return ticket


@transaction.atomic
def portal_reply(
    *, contact: Contact, ticket: Ticket, body: str, attachments: list[NewAttachment]
) -> Message:
    """The customer's reply. On a closed ticket the tickets service starts a follow-up."""
    if not body.strip() and not attachments:
        raise DomainError(_("Please write a message."), field="body")
    return message_add(
        ticket=ticket,
        actor=Actor.of_contact(contact),
        body_text=body,
        channel=Channel.WEB,
        attachments=attachments,
    )


@transaction.atomic
def portal_ticket_solve(*, contact: Contact, ticket: Ticket) -> Ticket:
    if ticket.status not in OPEN_STATUSES:
        raise Conflict(_("This request is already solved."), field="status")
    return ticket_update(ticket=ticket, actor=Actor.of_contact(contact), status=Status.SOLVED)


@transaction.atomic
def portal_ticket_reopen(*, contact: Contact, ticket: Ticket) -> Ticket:
    if ticket.status == Status.CLOSED:
        raise Conflict(
            _("This request is closed. Send a new message to start a follow-up."), field="status"
        )
    if ticket.status != Status.SOLVED:
        raise Conflict(_("This request is still open."), field="status")
    return ticket_update(ticket=ticket, actor=Actor.of_contact(contact), status=Status.OPEN)
