"""Emails that carry a link to choose a password (reset and invitation), in the user's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from amparo.accounts.models import User


def company_name() -> str:
    from amparo.core.models import SiteSettings

    row = SiteSettings.objects.first()
    return row.company_name if row else "Amparo"


def password_link(user: User) -> str:
    """An absolute link, built from AMPARO_PUBLIC_URL (never from the request's Host header)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.PUBLIC_URL}{path}"


def send_with_link(*, user: User, template: str, context: dict[str, object] | None = None) -> None:
    """Renders accounts/email/<template>_subject.txt and _body.txt in the user's language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        ctx = {
            "user": user,
            "link": password_link(user),
            "company_name": company_name(),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            **(context or {}),
        }
        subject = render_to_string(f"accounts/email/{template}_subject.txt", ctx)
        body = render_to_string(f"accounts/email/{template}_body.txt", ctx)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.send()
