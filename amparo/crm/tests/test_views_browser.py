"""The contact pages in headless Chromium: search, open, edit inline; accessibility checked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amparo.crm.models import Contact
from amparo.testing.factories import ContactFactory, OrganizationFactory, make_ticket
from amparo.tickets.models import Channel

pytestmark = pytest.mark.browser


def test_search_open_and_edit_a_contact(
    page, live_url, login_agent, agent_a, team_a, team_b, screenshot, axe_check
):
    org = OrganizationFactory(name="Padaria Pão Quente", domains=["paoquente.com.br"])
    OrganizationFactory(name="Mercado Central")
    maria = ContactFactory(
        name="Maria da Silva",
        organization=org,
        identities=[("email", "maria@paoquente.com.br"), ("phone", "+5511987654321")],
    )
    ContactFactory(name="Mariana Costa", identities=[("email", "mariana@example.org")])
    for n in range(6):
        ContactFactory(name=f"Cliente {n}")
    make_ticket(contact=maria, team=team_a, subject="Nota fiscal não chegou", channel=Channel.EMAIL)
    make_ticket(contact=maria, team=team_a, subject="Ligação sobre entrega", channel=Channel.PHONE)
    make_ticket(contact=maria, team=team_b, subject="Assunto de outra equipe")
    login_agent(page, agent_a)

    page.goto("/contacts/")
    expect(page.locator("h1")).to_have_text("Contacts")
    axe_check(page)
    screenshot(page, "crm-contact-list")

    # Searching by phone, typed the way people write it, narrows the list as one types.
    page.get_by_label("Search contacts").fill("(11) 98765-4321")
    page.locator("#contact-results").get_by_text("Maria da Silva").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('#contact-results').innerText.includes('Cliente 1')"
    )
    assert "Mariana Costa" not in page.locator("#contact-results").inner_text()
    page.wait_for_url("**/contacts/?q=*")  # the search is in the address, for back/refresh
    screenshot(page, "crm-contact-search")

    page.get_by_role("link", name="Maria da Silva").click()
    page.wait_for_url(f"**/contacts/{maria.pk}/")
    tickets = page.locator("section", has=page.locator("#tickets-title"))
    assert "Nota fiscal não chegou" in tickets.inner_text()
    assert "Ligação sobre entrega" in tickets.inner_text()
    assert "Assunto de outra equipe" not in page.content()
    assert "(11) 98765-4321" in page.locator("#identities").inner_text()
    axe_check(page)
    screenshot(page, "crm-contact-detail")

    # Inline edit: the details card turns into a form and back, without leaving the page.
    page.locator("#contact-card").get_by_role("link", name="Edit").click()
    page.get_by_label("Name").wait_for()
    axe_check(page)
    page.get_by_label("Name").fill("Maria da Silva Souza")
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_label("Notes").fill("Prefere ser atendida por WhatsApp.")
    screenshot(page, "crm-contact-edit")
    page.get_by_role("button", name="Save").click()
    page.locator("#contact-card").get_by_text("Saved.").wait_for()
    card = page.locator("#contact-card").inner_text()
    expect(page.locator("h1")).to_have_text("Maria da Silva Souza")
    assert "Europe/Lisbon" in card
    assert "Prefere ser atendida por WhatsApp." in card
    maria.refresh_from_db()
    assert maria.name == "Maria da Silva Souza"
    assert maria.time_zone == "Europe/Lisbon"
    assert maria.organization == org

    # A bad organization name is refused in place, and nothing changes.
    page.locator("#contact-card").get_by_role("link", name="Edit").click()
    page.get_by_label("Organization").fill("Empresa Inexistente")
    page.get_by_role("button", name="Save").click()
    page.locator("#id_organization_error").wait_for()
    assert page.get_by_label("Organization").get_attribute("aria-invalid") == "true"
    axe_check(page)
    screenshot(page, "crm-contact-edit-error")
    assert Contact.objects.get(pk=maria.pk).organization == org


def test_identity_conflict_leads_to_the_merge_preview(
    page, live_url, login_agent, agent_a, screenshot, axe_check
):
    maria = ContactFactory(name="Maria da Silva", identities=[("email", "maria@example.org")])
    other = ContactFactory(name="Maria S.", identities=[("email", "msilva@example.org")])
    login_agent(page, agent_a)
    page.goto(f"/contacts/{maria.pk}/")
    form = page.locator("#identities form.identity-add")
    form.get_by_label("Kind").select_option("email")
    form.get_by_label("Address, number or handle").fill("MSilva@example.org")
    form.get_by_role("button", name="Add").click()
    page.get_by_role("link", name="Merge the contacts").wait_for()
    screenshot(page, "crm-identity-conflict")
    page.get_by_role("link", name="Merge the contacts").click()
    page.wait_for_url(f"**/contacts/{maria.pk}/merge/?other={other.pk}")
    assert "msilva@example.org" in page.content()
    axe_check(page)
    screenshot(page, "crm-merge-confirm")
    page.get_by_role("button", name="Merge Maria S. into Maria da Silva").click()
    page.wait_for_url(f"**/contacts/{maria.pk}/")
    assert "msilva@example.org" in page.locator("#identities").inner_text()
    other.refresh_from_db()
    assert other.merged_into_id == maria.pk


def test_organization_pages_are_accessible(
    page, live_url, login_agent, agent_a, team_a, screenshot, axe_check
):
    org = OrganizationFactory(name="Padaria Pão Quente", domains=["paoquente.com.br"], notes="VIP")
    member = ContactFactory(name="Ana Souza", organization=org)
    make_ticket(contact=member, team=team_a, subject="Entrega atrasada")
    login_agent(page, agent_a)
    page.goto("/organizations/")
    axe_check(page)
    screenshot(page, "crm-organization-list")
    page.get_by_role("link", name="Padaria Pão Quente").click()
    page.wait_for_url(f"**/organizations/{org.pk}/")
    assert "Entrega atrasada" in page.content()
    axe_check(page)
    screenshot(page, "crm-organization-detail")


def test_inline_edit_by_keyboard_alone(page, live_url, login_agent, agent_a, screenshot):
    maria = ContactFactory(name="Maria da Silva")
    login_agent(page, agent_a)
    page.goto(f"/contacts/{maria.pk}/")
    active_id = "() => document.activeElement && document.activeElement.id"
    active_text = "() => document.activeElement && document.activeElement.textContent.trim()"

    page.locator("#contact-card").get_by_role("link", name="Edit").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({active_id})() === 'id_name'")
    page.keyboard.press("End")
    page.keyboard.type(" Jr.")
    page.keyboard.press("Enter")  # submits the form
    page.locator("#contact-card").get_by_text("Saved.").wait_for()
    # Focus comes back to the Edit button of the card (after htmx settles), not to the top.
    page.wait_for_function(f"() => (({active_text})() || '').startsWith('Edit')")
    expect(page.locator("h1")).to_have_text("Maria da Silva Jr.")

    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({active_id})() === 'id_name'")
    page.keyboard.press("Tab")
    assert page.evaluate(active_id) == "id_organization"
    page.keyboard.type("Ninguém Ltda")
    page.keyboard.press("Enter")
    page.locator("#id_organization_error").wait_for()
    # With an error, the keyboard lands on the field at fault.
    page.wait_for_function(f"() => ({active_id})() === 'id_organization'")
    screenshot(page, "crm-contact-keyboard-error")
    page.keyboard.press("Escape")
    maria.refresh_from_db()
    assert maria.name == "Maria da Silva Jr."
    assert maria.organization is None


def test_create_and_merge_search_pages_are_accessible(
    page, live_url, login_agent, agent_a, screenshot, axe_check
):
    maria = ContactFactory(name="Maria da Silva")
    ContactFactory(name="Maria Silva", identities=[("email", "msilva@example.org")])
    login_agent(page, agent_a)
    page.goto("/contacts/new/")
    page.wait_for_function("() => document.activeElement.id === 'id_name'")
    axe_check(page)
    page.get_by_role("button", name="Create contact").click()
    page.get_by_text("Give at least a name, an email or a phone number.").wait_for()
    axe_check(page)
    screenshot(page, "crm-contact-create-error")
    page.goto(f"/contacts/{maria.pk}/merge/")
    page.get_by_label("Search contacts").fill("msilva@example.org")
    page.get_by_role("link", name="Compare with Maria Silva").wait_for()
    axe_check(page)
    screenshot(page, "crm-merge-search")
