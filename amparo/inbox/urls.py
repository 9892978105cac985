"""Provider inbound-mail webhooks (django-anymail checks each provider's signature)."""

from __future__ import annotations

import warnings
from typing import Any

from anymail.exceptions import AnymailNotSupportedWarning
from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from anymail.webhooks.brevo import BrevoInboundWebhookView
from anymail.webhooks.mailersend import MailerSendInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView
from anymail.webhooks.postal import PostalInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.resend import ResendInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from amparo.inbox import views

app_name = "inbox"

_VIEWS = {
    "amazon_ses": AmazonSESInboundWebhookView,
    "brevo": BrevoInboundWebhookView,
    "mailersend": MailerSendInboundWebhookView,
    "mailgun": MailgunInboundWebhookView,
    "mailjet": MailjetInboundWebhookView,
    "postal": PostalInboundWebhookView,
    "postmark": PostmarkInboundWebhookView,
    "resend": ResendInboundWebhookView,
    "sparkpost": SparkPostInboundWebhookView,
}


def _sendgrid(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    # Anymail warns on every SendGrid request that it no longer tests SendGrid; its inbound
    # parsing still works, and customers still use it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnymailNotSupportedWarning)
        return SendGridInboundWebhookView.as_view()(request, *args, **kwargs)


urlpatterns = [
    path(f"email/inbound/{name}/", view.as_view(), name=f"{name}_inbound")
    for name, view in _VIEWS.items()
]
urlpatterns += [
    path("email/inbound/sendgrid/", csrf_exempt(_sendgrid), name="sendgrid_inbound"),
    path(
        "email/messages/<int:message_id>/original.eml",
        views.message_original,
        name="message_original",
    ),
]
