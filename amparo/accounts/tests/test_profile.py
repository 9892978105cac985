"""The profile page, availability switch and two-factor set-up through the pages."""

from __future__ import annotations

import re

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.tests.helpers import totp_code
from amparo.testing.factories import PASSWORD


def test_profile_saves_language_time_zone_and_signature(client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_a)
    response = client.post(
        "/account/profile/",
        {
            "name": "Ana S.",
            "language": "en",
            "time_zone": "Europe/Lisbon",
            "signature": "Ana\nSuporte",
        },
    )
    assert response.status_code == 302
    agent_a.refresh_from_db()
    assert (agent_a.name, agent_a.language, agent_a.time_zone) == ("Ana S.", "en", "Europe/Lisbon")
    page = client.get("/account/profile/")
    assert '<html lang="en">' in page.content.decode()
    assert "Your profile was saved." in page.content.decode()


def test_profile_rejects_bad_input_and_changes_nothing(client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_a)
    response = client.post(
        "/account/profile/",
        {"name": "", "language": "xx", "time_zone": "Mars/Base", "signature": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('aria-invalid="true"') == 3
    agent_a.refresh_from_db()
    assert agent_a.name == "Ana Souza" and agent_a.language == "" and agent_a.time_zone == ""


def test_availability_switch_answers_htmx_with_the_switch(client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_a)
    response = client.post(
        "/account/availability/", {"availability": "online"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert re.search(r'value="online"[^>]*aria-pressed="true"', html)
    agent_a.refresh_from_db()
    assert agent_a.availability == "online"
    assert client.post("/account/availability/", {"availability": "sleeping"}).status_code == 302
    agent_a.refresh_from_db()
    assert agent_a.availability == "online"


def test_header_switch_returns_to_the_page_it_was_used_on(client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_a)
    queue = client.get("/desk/?view=teams").content.decode()
    assert 'name="next" value="/desk/?view=teams"' in queue
    back = client.post(
        "/account/availability/", {"availability": "away", "next": "/desk/?view=teams"}
    )
    assert back["Location"] == "/desk/?view=teams"
    agent_a.refresh_from_db()
    assert agent_a.availability == "away"
    elsewhere = client.post(
        "/account/availability/", {"availability": "online", "next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == "/account/profile/"


def test_customer_cannot_open_the_agent_profile(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    from amparo.accounts.models import Role, User

    customer = User.objects.create_user("c@example.org", "x", name="C", role=Role.CUSTOMER)
    client.force_login(customer)
    assert client.get("/account/profile/").status_code == 404
    assert client.post("/account/availability/", {"availability": "online"}).status_code == 404


def test_enrol_two_factor_through_the_pages(client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_a)
    page = client.get("/account/two-factor/enrol/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html
    manual = re.search(r'data-testid="manual-key">([A-Z2-7 ]+)<', html)
    assert manual
    device = TOTPDevice.objects.get(user=agent_a, confirmed=False)
    wrong = client.post("/account/two-factor/enrol/", {"token": "12345"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post("/account/two-factor/enrol/", {"token": totp_code(device)}, follow=True)
    html = done.content.decode()
    assert "Two-factor sign-in is on." in html
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", html)) == 10
    # The codes are shown once only.
    assert "<li><code>" not in client.get("/account/two-factor/").content.decode()


def test_disable_two_factor_needs_the_password(client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    from amparo.accounts.tests.helpers import enable_two_factor
    from amparo.accounts.twofactor import two_factor_enabled

    enable_two_factor(agent_a)
    client.force_login(agent_a)
    bad = client.post("/account/two-factor/disable/", {"password": "guess"})
    assert bad.status_code == 400
    assert two_factor_enabled(agent_a)
    client.post("/account/two-factor/disable/", {"password": PASSWORD})
    assert not two_factor_enabled(agent_a)
