"""Signed-in browsers: listed, and ending one really signs that browser out."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.accounts.models import Role, UserSession
from amparo.testing.factories import PASSWORD, AgentFactory


def signed_in(email: str, agent_name: str) -> Client:
    browser = Client(HTTP_USER_AGENT=agent_name)
    response = browser.post("/account/login/", {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.fixture
def agent(db):  # type: ignore[no-untyped-def]
    return AgentFactory(email="heitor@example.com", name="Heitor Nunes")


def test_sessions_page_lists_both_browsers(agent) -> None:  # type: ignore[no-untyped-def]
    laptop = signed_in(agent.email, "Laptop Firefox")
    signed_in(agent.email, "Phone Chrome")
    html = laptop.get("/account/sessions/").content.decode()
    assert "Laptop Firefox" in html and "Phone Chrome" in html
    assert "This browser" in html


def test_ending_one_session_signs_that_browser_out(agent) -> None:  # type: ignore[no-untyped-def]
    laptop = signed_in(agent.email, "Laptop Firefox")
    phone = signed_in(agent.email, "Phone Chrome")
    row = UserSession.objects.get(user_agent="Phone Chrome")
    assert laptop.post(f"/account/sessions/{row.pk}/end/").status_code == 302
    assert phone.get("/account/profile/").status_code == 302
    assert laptop.get("/account/profile/").status_code == 200


def test_ending_all_other_sessions_keeps_this_one(agent) -> None:  # type: ignore[no-untyped-def]
    laptop = signed_in(agent.email, "Laptop")
    others = [signed_in(agent.email, f"Other {i}") for i in range(2)]
    laptop.post("/account/sessions/end-others/")
    assert all(o.get("/account/profile/").status_code == 302 for o in others)
    assert laptop.get("/account/profile/").status_code == 200
    assert UserSession.objects.filter(user=agent).count() == 1


def test_cannot_end_someone_elses_session(agent) -> None:  # type: ignore[no-untyped-def]
    other = AgentFactory(email="iris@example.com")
    theirs = signed_in(other.email, "Iris")
    mine = signed_in(agent.email, "Heitor")
    row = UserSession.objects.get(user=other)
    assert mine.post(f"/account/sessions/{row.pk}/end/").status_code == 404
    assert theirs.get("/account/profile/").status_code == 200


def test_admin_signs_an_agent_out_everywhere(agent) -> None:  # type: ignore[no-untyped-def]
    browsers = [signed_in(agent.email, f"B{i}") for i in range(2)]
    admin = AgentFactory(email="root@example.com", role=Role.ADMIN)
    admin_browser = signed_in(admin.email, "Admin")
    response = admin_browser.post(f"/manage/agents/{agent.pk}/revoke_sessions/")
    assert response.status_code == 302
    assert all(b.get("/account/profile/").status_code == 302 for b in browsers)


def test_password_change_signs_other_browsers_out(agent) -> None:  # type: ignore[no-untyped-def]
    laptop = signed_in(agent.email, "Laptop")
    phone = signed_in(agent.email, "Phone")
    new = "outra-senha-muito-boa"
    response = laptop.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert laptop.get("/account/profile/").status_code == 200
    assert phone.get("/account/profile/").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(agent) -> None:  # type: ignore[no-untyped-def]
    laptop = signed_in(agent.email, "Laptop")
    response = laptop.post(
        "/account/password/",
        {"old_password": "not-it-at-all", "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 400
    assert "Your current password is not right." in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)


def test_activity_is_recorded_at_most_once_a_minute(agent) -> None:  # type: ignore[no-untyped-def]
    laptop = signed_in(agent.email, "Laptop")
    row = UserSession.objects.get(user=agent)
    first_seen = row.last_seen_at
    laptop.get("/account/profile/")
    row.refresh_from_db()
    assert row.last_seen_at == first_seen
    session = laptop.session
    session["_amparo_seen"] = 0
    session.save()
    laptop.get("/account/profile/")
    row.refresh_from_db()
    assert row.last_seen_at > first_seen


def test_prune_job_forgets_old_counts_and_sessions(agent, settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    from amparo.accounts.models import LoginThrottle
    from amparo.accounts.tasks import accounts_prune
    from amparo.accounts.throttle import login_failure_record

    login_failure_record(email="old@example.com", ip="198.51.100.1")
    LoginThrottle.objects.update(window_started_at=timezone.now() - timedelta(days=1))
    login_failure_record(email="new@example.com", ip=None)
    signed_in(agent.email, "Old browser")
    UserSession.objects.update(last_seen_at=timezone.now() - timedelta(days=30))
    accounts_prune.call()
    assert list(LoginThrottle.objects.values_list("key", flat=True)) == ["new@example.com"]
    assert not UserSession.objects.exists()
