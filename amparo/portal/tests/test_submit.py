from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amparo.core.models import CustomFieldDefinition, CustomFieldTarget, CustomFieldType
from amparo.crm.models import Contact, ContactIdentity
from amparo.portal.models import SignInLink
from amparo.tickets.models import Attachment, Channel, Status, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def order_field():
    return CustomFieldDefinition.objects.create(
        target=CustomFieldTarget.TICKET,
        key="order",
        label="Order number",
        field_type=CustomFieldType.TEXT,
        visible_to_customers=True,
    )


@pytest.fixture
def internal_field():
    return CustomFieldDefinition.objects.create(
        target=CustomFieldTarget.TICKET,
        key="cost_center",
        label="Cost centre",
        field_type=CustomFieldType.TEXT,
        visible_to_customers=False,
    )


def visitor_data(**overrides):
    data = {
        "name": "Paula Souza",
        "email": "paula@example.com",
        "subject": "A impressora não imprime",
        "description": "Desde ontem aparece 'erro 42'.",
        "website": "",
    }
    data.update(overrides)
    return data


def test_visitor_submits_a_request_and_gets_a_link_to_follow_it(client, run_mail_jobs):
    response = client.post("/portal/requests/new/", visitor_data())
    assert response.status_code == 302 and response["Location"] == "/portal/requests/sent/"
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.WEB and ticket.status == Status.NEW
    assert ticket.subject == "A impressora não imprime"
    assert ticket.contact.name == "Paula Souza"
    assert ContactIdentity.objects.get(value="paula@example.com").contact == ticket.contact
    message = ticket.messages.get()
    assert message.author_kind == "contact" and "erro 42" in message.body_text

    page = client.get("/portal/requests/sent/").content.decode()
    assert f"#{ticket.pk}" in page
    assert "We usually answer within 24 hours." in page

    run_mail_jobs()
    assert mail.outbox[0].to == ["paula@example.com"]
    assert f"#{ticket.pk}" in mail.outbox[0].subject
    assert SignInLink.objects.get().ticket == ticket


def test_the_link_of_a_submission_opens_the_ticket(client, run_mail_jobs):
    client.post("/portal/requests/new/", visitor_data())
    run_mail_jobs()
    ticket = Ticket.objects.get()
    token = mail.outbox[0].body.split("/portal/sign-in/link/")[1].split("/")[0]
    response = client.post(f"/portal/sign-in/link/{token}/")
    assert response["Location"] == f"/portal/requests/{ticket.pk}/"
    assert "A impressora não imprime" in client.get(response["Location"]).content.decode()


def test_visitor_with_a_known_address_files_on_the_existing_contact(client, contact):
    client.post("/portal/requests/new/", visitor_data(email="MARIA@example.org", name="M"))
    assert Ticket.objects.get().contact == contact
    assert Contact.objects.count() == 1


def test_signed_in_customer_submits_with_attachments_and_custom_fields(
    customer_client, customer, order_field
):
    files = [
        SimpleUploadedFile("erro.txt", b"stack trace", content_type="text/plain"),
        SimpleUploadedFile("nota.pdf", b"%PDF-1.4 fake", content_type="application/pdf"),
    ]
    response = customer_client.post(
        "/portal/requests/new/",
        {"subject": "Nota", "description": "Veja anexos", "cf_order": "A-1", "attachments": files},
    )
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/portal/requests/{ticket.pk}/"
    assert ticket.contact == customer and ticket.channel == Channel.WEB
    assert ticket.custom_fields == {"order": "A-1"}
    assert sorted(a.filename for a in ticket.attachments.all()) == ["erro.txt", "nota.pdf"]
    page = customer_client.get(response["Location"]).content.decode()
    assert "Order number" in page and "A-1" in page
    assert "erro.txt" in page


def test_the_form_shows_only_fields_visible_to_customers(client, order_field, internal_field):
    page = client.get("/portal/requests/new/").content.decode()
    assert "Order number" in page
    assert "Cost centre" not in page


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"subject": "  "}, "This field is required."),
        ({"description": ""}, "This field is required."),
        ({"email": "nope"}, "Enter a valid email address."),
        ({"name": ""}, "This field is required."),
        ({"cf_unknown": "x"}, "Unknown custom field “unknown”."),
        ({"cf_cost_center": "x"}, "Unknown custom field “cost_center”."),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, internal_field, overrides, error):
    response = client.post("/portal/requests/new/", visitor_data(**overrides))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Ticket.objects.exists()
    assert not Contact.objects.exists()
    assert not SignInLink.objects.exists()


def test_oversized_file_is_refused(customer_client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("grande.bin", b"x" * 2048)
    response = customer_client.post(
        "/portal/requests/new/", {"subject": "S", "description": "D", "attachments": [big]}
    )
    assert response.status_code == 400
    assert "The file grande.bin is larger than the limit of 1 KB." in response.content.decode()
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_too_many_files_are_refused(customer_client, settings):
    settings.PORTAL_MAX_FILES = 1
    files = [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(2)]
    response = customer_client.post(
        "/portal/requests/new/", {"subject": "S", "description": "D", "attachments": files}
    )
    assert response.status_code == 400
    assert "Attach at most 1 file." in response.content.decode()
    assert not Ticket.objects.exists()


def test_honeypot_looks_like_success_but_stores_nothing(client, run_mail_jobs):
    response = client.post("/portal/requests/new/", visitor_data(website="http://spam.example"))
    assert response.status_code == 302
    assert "Thank you" in client.get(response["Location"]).content.decode()
    run_mail_jobs()
    assert not Ticket.objects.exists() and not Contact.objects.exists() and mail.outbox == []


def test_visitors_are_rate_limited_per_network(client, settings):
    settings.PORTAL_SUBMIT_PER_IP_HOUR = 2
    for n in range(2):
        assert (
            client.post("/portal/requests/new/", visitor_data(subject=f"S{n}")).status_code == 302
        )
    response = client.post("/portal/requests/new/", visitor_data(subject="S3"))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Ticket.objects.count() == 2


def test_missing_csrf_token_is_refused(customer):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = browser.post("/portal/requests/new/", visitor_data())
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    browser.force_login(customer.user)
    response = browser.post("/portal/requests/new/", {"subject": "S", "description": "D"})
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_required_fields_bind_customers_only_when_shown_to_them(customer_client, order_field):
    from amparo.core.models import CustomFieldDefinition

    CustomFieldDefinition.objects.filter(pk=order_field.pk).update(required=True)
    CustomFieldDefinition.objects.create(
        target=CustomFieldTarget.TICKET,
        key="cost_center",
        label="Cost centre",
        field_type=CustomFieldType.TEXT,
        required=True,
        visible_to_customers=False,
    )
    data = {"subject": "Pedido atrasado", "description": "Não chegou."}
    response = customer_client.post("/portal/requests/new/", data)
    assert response.status_code == 400
    assert not Ticket.objects.exists()
    response = customer_client.post("/portal/requests/new/", {**data, "cf_order": "A-1"})
    assert response.status_code == 302
    assert Ticket.objects.get().custom_fields == {"order": "A-1"}
