"""Smoke test of the browser fixtures: an agent signs in and the desk renders accessibly."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_agent_opens_the_desk(page, live_url, login_agent, agent_a, axe_check, screenshot):
    login_agent(page, agent_a)
    page.goto(f"{live_url}/desk/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.get_by_role("link", name="Ana Souza").is_visible()
    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()
    page.keyboard.press("Escape")
    axe_check(page)
    screenshot(page, "desk-smoke")
