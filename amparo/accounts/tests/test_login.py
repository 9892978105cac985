"""Sign-in through the real form: password, lockout, two-factor, sign-out."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.accounts.models import UserSession
from amparo.accounts.tests.helpers import enable_two_factor, totp_code
from amparo.testing.factories import PASSWORD, AgentFactory

LOGIN = "/account/login/"
VERIFY = "/account/login/verify/"


def post_login(client: Client, email: str, password: str, **extra):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"email": email, "password": password, **extra})


@pytest.fixture
def agent(db):  # type: ignore[no-untyped-def]
    return AgentFactory(email="carla@example.com", name="Carla Dias")


def test_login_page_renders_form_with_labels(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_email"' in html and 'for="id_password"' in html
    assert 'autocomplete="current-password"' in html


def test_login_success_goes_to_next_and_records_session(client: Client, agent) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        f"{LOGIN}?next=/account/profile/",
        {"email": "Carla@Example.com ", "password": PASSWORD, "next": "/account/profile/"},
        HTTP_USER_AGENT="Firefox test",
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/profile/"
    assert client.get("/account/profile/").status_code == 200
    row = UserSession.objects.get(user=agent)
    assert row.user_agent == "Firefox test"
    assert row.session_key == client.session.session_key


def test_login_refuses_offsite_next(client: Client, agent) -> None:  # type: ignore[no-untyped-def]
    response = post_login(client, agent.email, PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/"


def test_wrong_password_shows_error_and_does_not_sign_in(client: Client, agent) -> None:  # type: ignore[no-untyped-def]
    response = post_login(client, agent.email, "wrong-password")
    assert response.status_code == 400
    assert "The email or the password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures_even_with_right_password(
    client: Client, agent, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCKOUT_SECONDS = 600
    for _i in range(2):
        assert post_login(client, agent.email, "nope-nope-nope").status_code == 400
    third = post_login(client, agent.email, "nope-nope-nope")
    assert third.status_code == 429
    assert "try again in 10 minutes" in third.content.decode()
    locked = post_login(client, agent.email, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    other = AgentFactory(email="davi@example.com")
    assert post_login(Client(REMOTE_ADDR="10.0.0.9"), other.email, PASSWORD).status_code == 302


def test_lockout_does_not_reveal_whether_the_account_exists(
    client: Client, agent, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_MAX_FAILURES = 2
    answers = {}
    for email in (agent.email, "nobody@example.com"):
        post_login(client, email, "bad-password-1")
        response = post_login(client, email, "bad-password-2")
        answers[email] = (response.status_code, response.content.decode().count("Too many"))
    assert answers[agent.email] == answers["nobody@example.com"] == (429, 1)


def test_lockout_per_ip_across_accounts(agent, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_MAX_FAILURES_PER_IP = 4
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(4):
        post_login(attacker, f"guess{i}@example.com", "x-password")
    assert post_login(attacker, agent.email, PASSWORD).status_code == 429
    assert post_login(Client(REMOTE_ADDR="203.0.113.8"), agent.email, PASSWORD).status_code == 302


def test_lockout_message_is_translated(client: Client, agent, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_MAX_FAILURES = 1
    response = client.post(
        LOGIN,
        {"email": agent.email, "password": "bad-password"},
        HTTP_ACCEPT_LANGUAGE="pt-BR",
    )
    assert response.status_code == 429
    assert "Muitas tentativas" in response.content.decode()


def test_two_factor_flow_with_totp(client: Client, agent) -> None:  # type: ignore[no-untyped-def]
    device, _codes = enable_two_factor(agent)
    response = post_login(client, agent.email, PASSWORD, next="/account/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    # Not signed in yet: the password alone is not enough.
    assert "_auth_user_id" not in client.session
    assert client.get("/account/profile/").status_code == 302
    bad = client.post(VERIFY, {"token": "000000" if totp_code(device) != "000000" else "111111"})
    assert bad.status_code == 400
    assert "That code is not right" in bad.content.decode()
    # django-otp slows down retries after a failure; the next code must still pass afterwards.
    device.refresh_from_db()
    device.throttle_reset()
    good = client.post(
        VERIFY, {"token": totp_code(device, offset_steps=1), "next": "/account/profile/"}
    )
    assert good.status_code == 302
    assert good["Location"] == "/account/profile/"
    assert client.get("/account/profile/").status_code == 200


def test_two_factor_backup_code_works_once(client: Client, agent) -> None:  # type: ignore[no-untyped-def]
    _device, codes = enable_two_factor(agent)
    post_login(client, agent.email, PASSWORD)
    assert client.post(VERIFY, {"token": codes[0].upper()}).status_code == 302
    client.post("/account/logout/")
    second = Client()
    post_login(second, agent.email, PASSWORD)
    assert second.post(VERIFY, {"token": codes[0]}).status_code == 400


def test_verify_without_password_step_goes_back_to_login(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"


def test_two_factor_failures_count_towards_lockout(client: Client, agent, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_MAX_FAILURES = 2
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enable_two_factor(agent)
    post_login(client, agent.email, PASSWORD)
    client.post(VERIFY, {"token": "12345a"})
    response = client.post(VERIFY, {"token": "123456x"})
    assert response.status_code == 429
    assert post_login(client, agent.email, PASSWORD).status_code == 429


def test_logout_is_post_only_and_ends_the_session(client: Client, agent) -> None:  # type: ignore[no-untyped-def]
    post_login(client, agent.email, PASSWORD)
    assert client.get("/account/logout/").status_code == 405
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert not UserSession.objects.filter(user=agent).exists()
    assert client.get("/account/profile/").status_code == 302


def test_admin_login_goes_through_our_sign_in(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Fadmin%2F"


def test_inactive_agent_cannot_sign_in(client: Client, agent) -> None:  # type: ignore[no-untyped-def]
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    response = post_login(client, agent.email, PASSWORD)
    assert response.status_code == 400


def test_quick_retries_after_wrong_codes_are_told_to_wait(client: Client, agent, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a delay no slow machine outlasts between two posts
    device, _codes = enable_two_factor(agent)
    post_login(client, agent.email, PASSWORD)
    client.post(VERIFY, {"token": "000001"})
    # Even the right code is refused while django-otp's delay runs; the page says why.
    response = client.post(VERIFY, {"token": totp_code(device, offset_steps=1)})
    assert response.status_code == 400
    assert "wait a few seconds" in response.content.decode()
