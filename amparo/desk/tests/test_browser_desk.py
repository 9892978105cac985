"""The desk in a real browser: keyboard navigation, replying, live updates, collision warnings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from amparo.core.actors import Actor
from amparo.testing.factories import AgentFactory, ContactFactory, make_ticket
from amparo.tickets.models import Message
from amparo.tickets.services import message_add

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(live_url, agent_a, team_a):
    agent_a.language = "en"
    agent_a.save(update_fields=["language"])
    bruno = AgentFactory(email="bruno.costa@example.com", name="Bruno Costa", teams=[team_a])
    bruno.language = "en"
    bruno.save(update_fields=["language"])
    customer = ContactFactory(name="Maria da Silva", identities=[("email", "maria@example.org")])
    other = ContactFactory(name="Carlos Mendes", identities=[("phone", "+5521998877665")])
    tickets = [
        make_ticket(
            contact=customer, team=team_a, assignee=agent_a, subject="Nota fiscal rejeitada"
        ),
        make_ticket(
            contact=other, team=team_a, assignee=agent_a, subject="Troca de senha", channel="phone"
        ),
        make_ticket(
            contact=customer,
            team=team_a,
            assignee=agent_a,
            subject="Boleto em atraso",
            channel="whatsapp",
        ),
    ]
    message_add(
        ticket=tickets[0],
        actor=Actor.of_agent(bruno),
        body_text="Cliente já ligou duas vezes.",
        is_internal=True,
    )
    return {"ana": agent_a, "bruno": bruno, "tickets": tickets}


def test_queue_keyboard_reply_live_update_and_collision(
    scene, new_page, live_url, login_agent, axe_check, screenshot
):
    ana_page = new_page()
    login_agent(ana_page, scene["ana"])
    ana_page.goto(f"{live_url}/desk/")
    rows = ana_page.locator("[data-ticket-row]")
    expect(rows).to_have_count(3)
    axe_check(ana_page)
    screenshot(ana_page, "desk-queue")

    # j/k move through the list; o opens the current ticket.
    ana_page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile("is-current"))
    ana_page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile("is-current"))
    ana_page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("is-current"))
    ana_page.keyboard.press("x")
    expect(ana_page.locator("[data-bulk-count]")).to_have_text("1 selected")
    first_id = rows.nth(0).get_attribute("data-ticket-id")
    ana_page.keyboard.press("o")
    expect(ana_page).to_have_url(re.compile(rf"/desk/tickets/{first_id}/\?back=/desk/$"))
    ticket_id = int(first_id or 0)

    # Bruno opens the same ticket: Ana is warned, and Bruno sees Ana.
    bruno_page = new_page()
    login_agent(bruno_page, scene["bruno"])
    bruno_page.goto(f"{live_url}/desk/tickets/{ticket_id}/")
    expect(ana_page.locator("[data-collision]")).to_have_text("Bruno Costa is viewing this ticket")
    expect(bruno_page.locator("[data-collision]")).to_have_text("Ana Souza is viewing this ticket")
    bruno_page.locator("#composer-body").click()
    bruno_page.keyboard.type("Vou verificar")
    expect(ana_page.locator("[data-collision]")).to_have_text("Bruno Costa is typing…")
    screenshot(ana_page, "desk-ticket-collision")

    # r focuses the reply box; the reply is sent and appears live on Bruno's page.
    ana_page.locator("body").click(position={"x": 5, "y": 300})
    ana_page.keyboard.press("r")
    expect(ana_page.locator("#composer-body")).to_be_focused()
    ana_page.keyboard.type("Olá Maria, já reenviamos a nota fiscal.")
    ana_page.get_by_role("button", name="Send reply").click()
    expect(ana_page.locator("#timeline")).to_contain_text("já reenviamos a nota fiscal")
    expect(ana_page.locator("#composer-body")).to_have_value("")
    expect(bruno_page.locator("#timeline")).to_contain_text("já reenviamos a nota fiscal")
    assert Message.objects.filter(ticket_id=ticket_id, author_agent=scene["ana"]).count() == 1

    # An inline change on Ana's page shows on Bruno's without a reload.
    ana_page.get_by_label("Priority").select_option(label="Urgent")
    expect(ana_page.locator("#ticket-props")).to_contain_text("Saved.")
    expect(bruno_page.get_by_label("Priority")).to_have_value("4")
    expect(bruno_page.locator("#timeline")).to_contain_text(
        "Priority changed from Normal to Urgent"
    )

    # n switches the composer to an internal note.
    ana_page.locator("#composer-body").press("Escape")
    ana_page.keyboard.press("n")
    expect(ana_page.get_by_role("button", name="Add note")).to_be_visible()

    axe_check(ana_page)
    screenshot(ana_page, "desk-ticket")
    bruno_page.close()
    expect(ana_page.locator("[data-collision]")).to_be_hidden()

    # u goes back to the queue the ticket was opened from.
    ana_page.locator("#composer-body").press("Escape")
    ana_page.keyboard.press("u")
    expect(ana_page).to_have_url(re.compile(r"/desk/$"))


def test_help_overlay_and_shortcuts_stay_quiet_while_typing(
    scene, page, live_url, login_agent, axe_check, screenshot
):
    login_agent(page, scene["ana"])
    page.goto(f"{live_url}/desk/")
    page.get_by_role("searchbox").fill("jk?")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.locator("[data-ticket-row].is-current")).to_have_count(0)
    page.get_by_role("searchbox").press("Escape")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    axe_check(page)
    screenshot(page, "desk-shortcuts")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # A ticket arriving in the agent's teams shows the "new activity" hint on the queue.
    page.goto(f"{live_url}/desk/?view=open")
    hint = page.locator("[data-activity-hint]")
    expect(hint).to_be_hidden()
    expect(page.locator("[data-desk-queue][data-live=connected]")).to_have_count(1)
    make_ticket(contact=ContactFactory(), team=scene["bruno"].teams.first(), subject="Chegou agora")
    expect(hint).to_be_visible()
    page.get_by_role("link", name="Refresh").click()
    expect(page.get_by_role("link", name="Chegou agora")).to_be_visible()


def test_queue_in_portuguese(scene, page, live_url, login_agent, screenshot):
    ana = scene["ana"]
    ana.language = "pt-br"
    ana.save(update_fields=["language"])
    login_agent(page, ana)
    page.goto(f"{live_url}/desk/?view=open")
    expect(page.get_by_role("heading", level=1)).to_have_text("Todos abertos")
    screenshot(page, "desk-queue-pt-br")


def test_email_message_inline_and_remote_images_quoted_text_and_original(
    live_url, agent_a, team_a, page, login_agent, axe_check, screenshot
):
    from amparo.desk.tests.test_ticket_email import mail, png
    from amparo.inbox.email.ingest import ingest
    from amparo.inbox.services import mailbox_create

    agent_a.language = "en"
    agent_a.save(update_fields=["language"])
    mailbox_create(name="Suporte", address="suporte@amparo.test", team=team_a)
    raw = mail(
        text="Funcionou!\n\nEm seg., 1 de dez. de 2026, Suporte escreveu:\n> Tente de novo.\n",
        html=(
            '<p>Funcionou! Veja o print:</p><p><img src="cid:print@client" alt="print"></p>'
            '<p><img src="https://images.example/logo.png" alt="logo" width="40" height="40"></p>'
            "<div>On Mon, Dec 1, 2026, Suporte wrote:<br></div><blockquote>Tente de novo.</blockquote>"
        ),
        related=[(png(8, 8), "image", "png", "print@client")],
    )
    result = ingest(raw, source="pipe")
    remote_requests: list[str] = []

    def serve_logo(route):  # type: ignore[no-untyped-def]
        remote_requests.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=png(40, 40))

    page.route("https://images.example/**", serve_logo)
    login_agent(page, agent_a)
    page.goto(f"{live_url}/desk/tickets/{result.ticket_id}/")
    message = page.locator(f"[data-message='{result.message_id}']")

    # The customer's screenshot shows in place; nothing was asked of the remote server.
    shot = message.get_by_role("img", name="print")
    expect(shot).to_be_visible()
    assert shot.evaluate("img => img.complete && img.naturalWidth === 8")
    assert remote_requests == []
    # Quoted history is folded away until asked for.
    expect(message.get_by_text("Tente de novo.")).to_be_hidden()
    message.get_by_text("Show quoted text").click()
    expect(message.get_by_text("Tente de novo.")).to_be_visible()
    axe_check(page)

    message.get_by_role("button", name="Load remote images").click()
    logo = message.get_by_role("img", name="logo")
    expect(logo).to_have_attribute("src", "https://images.example/logo.png")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 40", arg=logo.element_handle()
    )
    assert remote_requests == ["https://images.example/logo.png"]
    expect(message.get_by_role("button", name="Load remote images")).to_be_hidden()
    axe_check(page)  # also fails on any Content-Security-Policy violation
    screenshot(page, "desk-ticket-email")

    with page.expect_download() as download:
        message.get_by_role("link", name="Original email").click()
    assert download.value.suggested_filename == f"message-{result.message_id}.eml"
