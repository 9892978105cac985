"""In Chromium: sign-in through the real form with two-factor, language switch, accessibility."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from amparo.accounts.models import Role
from amparo.accounts.tests.helpers import enable_two_factor, totp_code
from amparo.testing.factories import PASSWORD, AgentFactory

pytestmark = pytest.mark.browser


def test_agent_signs_in_with_two_factor_and_switches_to_english(
    new_page, live_url, axe_check, screenshot
):  # type: ignore[no-untyped-def]
    agent = AgentFactory(email="lia@example.com", name="Lia Moura", language="pt-br")
    enable_two_factor(agent)
    page = new_page(locale="pt-BR")

    page.goto(f"{live_url}/account/login/?next=/desk/")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    axe_check(page)
    screenshot(page, "accounts-login")
    # Django's own catalogues (installed first) may word "Email" their way; the id is stable.
    page.locator("#id_email").fill("lia@example.com")
    page.get_by_label("Senha").fill("senha-errada")
    page.get_by_role("button", name="Entrar").click()
    expect(
        page.get_by_role("alert").get_by_text("O e-mail ou a senha não conferem.")
    ).to_be_visible()
    axe_check(page)
    screenshot(page, "accounts-login-error")
    page.get_by_label("Senha").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()

    page.wait_for_url("**/account/login/verify/**")
    expect(page.get_by_role("heading", name="Login em duas etapas")).to_be_visible()
    axe_check(page)
    screenshot(page, "accounts-login-verify")
    device = TOTPDevice.objects.get(user=agent, confirmed=True)
    # The set-up used the current code; a code is accepted once, so type the next step's.
    page.get_by_label("Código").fill(totp_code(device, offset_steps=1))
    page.get_by_role("button", name="Verificar").click()

    page.wait_for_url("**/desk/**")
    expect(page.get_by_role("button", name="Sair")).to_be_visible()

    page.goto(f"{live_url}/account/profile/")
    expect(page.get_by_role("heading", name="Seu perfil")).to_be_visible()
    axe_check(page)
    screenshot(page, "accounts-profile-pt")
    page.get_by_label("Idioma").select_option("en")
    page.get_by_label("Fuso horário").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()

    page.goto(f"{live_url}/desk/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, "accounts-desk-en")
    agent.refresh_from_db()
    assert (agent.language, agent.time_zone) == ("en", "Europe/Lisbon")


def test_availability_switch_and_management_pages_are_accessible(
    page, live_url, login_agent, axe_check, screenshot, team_a
):  # type: ignore[no-untyped-def]
    supervisor = AgentFactory(
        email="sara@example.com", name="Sara Lopes", role=Role.SUPERVISOR, language="en"
    )
    login_agent(page, supervisor)

    page.goto(f"{live_url}/account/profile/")
    page.get_by_role("button", name="Away").click()
    # htmx swaps the switch in place; the pressed state follows the click.
    page.wait_for_selector('button[value="away"][aria-pressed="true"]')
    supervisor.refresh_from_db()
    assert supervisor.availability == "away"

    # The same switch from the desk header, without leaving the queue.
    page.goto(f"{live_url}/desk/?view=teams")
    page.locator(".availability-menu summary").click()
    page.locator(".availability-panel").get_by_role("button", name="Online").click()
    page.wait_for_url("**/desk/?view=teams")
    expect(page.locator(".availability-menu summary")).to_contain_text("Online")
    supervisor.refresh_from_db()
    assert supervisor.availability == "online"

    page.goto(f"{live_url}/account/two-factor/enrol/")
    expect(
        page.get_by_role("img", name="QR code with the key for your authenticator app")
    ).to_be_visible()
    axe_check(page)
    screenshot(page, "accounts-two-factor-enrol")

    page.goto(f"{live_url}/manage/teams/{team_a.pk}/")
    page.get_by_label("Agent").select_option(label="Sara Lopes")
    page.get_by_role("button", name="Add to the team").click()
    page.get_by_role("button", name="Make lead Sara Lopes").wait_for()
    axe_check(page)
    screenshot(page, "backoffice-team")

    page.goto(f"{live_url}/account/sessions/")
    expect(page.get_by_text("This browser")).to_be_visible()
    axe_check(page)
    screenshot(page, "accounts-sessions")

    agent = AgentFactory(email="tom@example.com", name="Tomás Reis")
    page.goto(f"{live_url}/manage/agents/")
    page.get_by_role("link", name="Tomás Reis").click()
    page.get_by_label("Role:").select_option("supervisor")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The agent was saved.")).to_be_visible()
    agent.refresh_from_db()
    assert agent.role == Role.SUPERVISOR
    axe_check(page)
    screenshot(page, "backoffice-agent")

    page.goto(f"{live_url}/manage/macros/new/")
    axe_check(page)
    screenshot(page, "backoffice-macro-form")
    page.goto(f"{live_url}/manage/branding/")
    axe_check(page)
    screenshot(page, "backoffice-branding")
