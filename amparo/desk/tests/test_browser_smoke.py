"""Smoke test of the browser fixtures: an agent signs in and the desk renders accessibly."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_agent_opens_the_desk(page, live_url, login_agent, agent_a, axe_check, screenshot):
    login_agent(page, agent_a)
    page.goto(f"{live_url}/desk/")
    assert page.get_by_role("heading", level=1).count() == 1
    expect(page.get_by_role("link", name="Ana Souza")).to_be_visible()
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    axe_check(page)
    screenshot(page, "desk-smoke")
