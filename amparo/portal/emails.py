"""Mail the portal sends, in the customer's language, through Django's email API."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from amparo.core.context_processors import branding_get
from amparo.core.models import SiteSettings
from amparo.crm.models import Contact
from amparo.portal.models import SignInLink
from amparo.tickets.models import Message


def mail_language(*candidates: str) -> str:
    """The first of ``candidates`` we have a translation for, else the site's language."""
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in candidates:
        code = (candidate or "").lower().replace("_", "-")
        if code in codes:
            return code
        if code.partition("-")[0] in codes:
            return code.partition("-")[0]
        if code.startswith("pt"):
            return "pt-br"
    return settings.LANGUAGE_CODE


def _from_address() -> str:
    site = SiteSettings.objects.order_by("pk").first()
    if site is not None and site.support_email:
        return f"{site.company_name} <{site.support_email}>"
    return settings.DEFAULT_FROM_EMAIL


def send_reply_notification(*, message: Message, to: str, cc: list[str] | None = None) -> None:
    ticket = message.ticket
    contact = ticket.contact
    user_language = contact.user.language if contact.user_id and contact.user else ""
    language = mail_language(user_language, contact.language, ticket.language)
    context = {
        "branding": branding_get(),
        "name": contact.first_name,
        "ticket": ticket,
        "author": message.author_agent.name if message.author_agent else "",
        "body": message.body_text,
        "url": settings.PUBLIC_URL + reverse("portal:ticket", kwargs={"ticket_id": ticket.pk}),
    }
    with translation.override(language):
        subject = render_to_string("portal/email/reply_subject.txt", context).strip()
        text = render_to_string("portal/email/reply.txt", context)
        html = render_to_string("portal/email/reply.html", context)
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=_from_address(),
        to=[to],
        cc=cc or [],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )
    mail.attach_alternative(html, "text/html")
    mail.send()


def send_sign_in_link(*, link: SignInLink, token: str, contact: Contact) -> None:
    user_language = contact.user.language if contact.user_id and contact.user else ""
    language = mail_language(user_language, contact.language, link.language)
    url = settings.PUBLIC_URL + reverse("portal:sign_in_link", kwargs={"token": token})
    context = {
        "branding": branding_get(),
        "name": contact.first_name,
        "url": url,
        "minutes": settings.PORTAL_LINK_MINUTES,
        "ticket": link.ticket,
        "portal_url": settings.PUBLIC_URL + reverse("portal:home"),
    }
    with translation.override(language):
        subject = render_to_string("portal/email/sign_in_subject.txt", context).strip()
        text = render_to_string("portal/email/sign_in.txt", context)
        html = render_to_string("portal/email/sign_in.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=_from_address(),
        to=[link.email],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )
    message.attach_alternative(html, "text/html")
    message.send()
