from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from amparo.accounts.models import Role, User
from amparo.crm.models import Contact
from amparo.portal.models import SignInLink, SignInLinkStatus
from amparo.testing.factories import PASSWORD, ContactFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/portal/sign-in/link/([\w-]+)/")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def ask_link(client, email, **extra):
    return client.post("/portal/sign-in/", {"email": email}, **extra)


def token_from_outbox(index: int = -1) -> str:
    return LINK.search(mail.outbox[index].body).group(1)


def test_known_and_unknown_addresses_get_the_same_answer(client, contact, run_mail_jobs):
    known = ask_link(client, "maria@example.org")
    unknown = ask_link(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/portal/sign-in/sent/"
    page = client.get("/portal/sign-in/sent/")
    assert "If <strong>nobody@example.org</strong> is the address" in page.content.decode()

    run_mail_jobs()
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    assert SignInLink.objects.get(email="nobody@example.org").status == SignInLinkStatus.SKIPPED


def test_magic_link_signs_in_once_and_creates_the_customer_account(client, contact, run_mail_jobs):
    ask_link(client, "Maria@Example.org")
    run_mail_jobs()
    token = token_from_outbox()
    # Only a hash of the token is stored.
    link = SignInLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in link.token_hash

    # Opening the link does not use it (mail scanners fetch links); the button does.
    page = client.get(f"/portal/sign-in/link/{token}/")
    assert page.status_code == 200 and "Continue" in page.content.decode()
    assert not client.session.get("_auth_user_id")
    assert not contact.identities.get(value="maria@example.org").verified
    response = client.post(f"/portal/sign-in/link/{token}/")
    assert response.status_code == 302 and response["Location"] == "/portal/"

    contact.refresh_from_db()
    user = contact.user
    assert user.role == Role.CUSTOMER and user.email == "maria@example.org"
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    # The link reached the customer through this address: the CRM shows it as verified.
    assert contact.identities.get(value="maria@example.org").verified

    client.post("/portal/sign-out/")
    again = client.post(f"/portal/sign-in/link/{token}/")
    assert again.status_code == 404
    assert "expired" in again.content.decode()
    assert not client.session.get("_auth_user_id")


def test_expired_link_is_refused(client, contact, run_mail_jobs):
    ask_link(client, "maria@example.org")
    run_mail_jobs()
    token = token_from_outbox()
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/portal/sign-in/link/{token}/").status_code == 404
    assert client.post(f"/portal/sign-in/link/{token}/").status_code == 404
    assert Contact.objects.get(pk=contact.pk).user_id is None


def test_a_made_up_token_is_refused(client, db):
    assert client.post("/portal/sign-in/link/not-a-real-token/").status_code == 404


def test_using_a_link_revokes_older_ones(client, contact, run_mail_jobs):
    ask_link(client, "maria@example.org")
    ask_link(client, "maria@example.org")
    run_mail_jobs()
    first, second = token_from_outbox(0), token_from_outbox(1)
    client.post(f"/portal/sign-in/link/{second}/")
    client.post("/portal/sign-out/")
    assert client.post(f"/portal/sign-in/link/{first}/").status_code == 404


def test_the_mail_job_is_idempotent(client, contact, run_mail_jobs):
    from amparo.portal.services import sign_in_link_deliver

    ask_link(client, "maria@example.org")
    run_mail_jobs()
    sign_in_link_deliver(link_id=SignInLink.objects.get().pk)
    assert len(mail.outbox) == 1


def test_rate_limit_per_address_is_silent(client, contact, settings, run_mail_jobs):
    settings.PORTAL_SIGNIN_PER_ADDRESS_HOUR = 2
    for _ in range(4):
        response = ask_link(client, "maria@example.org")
        assert response["Location"] == "/portal/sign-in/sent/"
    run_mail_jobs()
    assert len(mail.outbox) == 2


def test_rate_limit_per_ip(client, contact, settings):
    settings.PORTAL_SIGNIN_PER_IP_HOUR = 3
    for n in range(3):
        assert ask_link(client, f"person{n}@example.org").status_code == 302
    response = ask_link(client, "maria@example.org")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    # Another network is not affected.
    assert ask_link(client, "maria@example.org", REMOTE_ADDR="10.9.8.7").status_code == 302


def test_invalid_address_is_a_form_error(client, db):
    response = ask_link(client, "not an address")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not SignInLink.objects.exists()


def test_agents_get_no_portal_link(client, agent_a, run_mail_jobs):
    # An agent's address on a contact must not let the portal bypass the agent sign-in.
    ContactFactory(name="Ana", identities=[("email", agent_a.email)])
    ask_link(client, agent_a.email)
    run_mail_jobs()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("pt-br", "Seu link de acesso", "O link funciona uma vez"),
        ("en", "Your sign-in link", "The link works once"),
    ],
)
def test_link_mail_is_in_the_customers_language(client, run_mail_jobs, language, subject, phrase):
    ContactFactory(name="Clara", identities=[("email", "clara@example.org")], language=language)
    ask_link(client, "clara@example.org")
    run_mail_jobs()
    message = mail.outbox[0]
    assert subject in message.subject
    assert phrase in message.body
    assert phrase in message.alternatives[0][0]


def test_password_sign_in_for_customers_only(client, customer, agent_a):
    response = client.post(
        "/portal/sign-in/password/", {"pw-email": "maria@example.org", "pw-password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(customer.user_id)
    client.post("/portal/sign-out/")

    wrong = client.post(
        "/portal/sign-in/password/", {"pw-email": "maria@example.org", "pw-password": "nope"}
    )
    assert wrong.status_code == 400
    assert "The email or the password is not right." in wrong.content.decode()
    # Agents have their own sign-in (with two factors); the portal refuses them alike.
    agent = client.post(
        "/portal/sign-in/password/", {"pw-email": agent_a.email, "pw-password": PASSWORD}
    )
    assert agent.status_code == 400
    assert not client.session.get("_auth_user_id")


def test_password_attempts_are_rate_limited(client, customer, settings):
    settings.PORTAL_SIGNIN_PER_ADDRESS_HOUR = 2
    data = {"pw-email": "maria@example.org", "pw-password": "wrong"}
    for _ in range(4):
        client.post("/portal/sign-in/password/", data)
    response = client.post(
        "/portal/sign-in/password/", {"pw-email": "maria@example.org", "pw-password": PASSWORD}
    )
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")


def test_customer_sets_a_password_after_a_link_sign_in(client, contact, run_mail_jobs):
    ask_link(client, "maria@example.org")
    run_mail_jobs()
    client.post(f"/portal/sign-in/link/{token_from_outbox()}/")
    weak = client.post("/portal/account/", {"password": "123", "confirm": "123"})
    assert weak.status_code == 400
    assert "too short" in weak.content.decode()
    ok = client.post(
        "/portal/account/", {"password": "laranja-azul-9876", "confirm": "laranja-azul-9876"}
    )
    assert ok.status_code == 302
    # Still signed in after the change, and the password now works.
    assert client.get("/portal/account/").status_code == 200
    client.post("/portal/sign-out/")
    response = client.post(
        "/portal/sign-in/password/",
        {"pw-email": "maria@example.org", "pw-password": "laranja-azul-9876"},
    )
    assert response.status_code == 302


def test_existing_customer_account_is_reused(client, customer, run_mail_jobs):
    ask_link(client, "maria@example.org")
    run_mail_jobs()
    client.post(f"/portal/sign-in/link/{token_from_outbox()}/")
    assert User.objects.filter(email="maria@example.org").count() == 1
    assert client.session["_auth_user_id"] == str(customer.user_id)
