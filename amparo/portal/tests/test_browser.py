"""The portal in Chromium: a visitor files a request, signs in by the mailed link, follows it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from amparo.core.actors import Actor
from amparo.core.models import SiteSettings
from amparo.portal.tests.conftest import make_customer
from amparo.testing.factories import make_ticket
from amparo.tickets.models import Ticket
from amparo.tickets.services import NewAttachment, message_add

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://[^/\s]+(/portal/sign-in/link/[\w-]+/)")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_visitor_submits_signs_in_by_link_replies_and_reads_the_answer(
    page, live_url, run_mail_jobs, agent_a, axe_check, screenshot
):
    page.goto("/portal/")
    axe_check(page)
    screenshot(page, "portal-home-en")
    page.get_by_role("link", name="New request").first.click()

    page.get_by_label("Your name").fill("Paula Souza")
    page.get_by_label("Your email").fill("paula@example.com")
    page.get_by_label("Subject").fill("The printer does not print")
    page.get_by_label("How can we help?").fill("Since yesterday it shows 'error 42'.")
    page.get_by_label("Attachments").set_input_files(
        files=[{"name": "error.txt", "mimeType": "text/plain", "buffer": b"error 42"}]
    )
    axe_check(page)
    screenshot(page, "portal-new-request-en")
    page.get_by_role("button", name="Send request").click()

    ticket = Ticket.objects.get()
    page.get_by_text(f"#{ticket.pk}").wait_for()
    assert "We usually answer within 24 hours." in page.content()
    axe_check(page)
    screenshot(page, "portal-request-received-en")

    run_mail_jobs()
    (message,) = mail.outbox
    assert message.to == ["paula@example.com"]
    page.goto(LINK.search(message.body).group(1))
    axe_check(page)
    screenshot(page, "portal-sign-in-link-en")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name=re.compile("The printer does not print")).wait_for()
    assert page.url == f"{live_url}/portal/requests/{ticket.pk}/"
    expect(page.get_by_role("link", name="error.txt")).to_be_visible()

    page.get_by_label("Your reply").fill("It also blinks orange.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Your reply was sent.").wait_for()
    expect(page.get_by_text("It also blinks orange.")).to_be_visible()

    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Please restart it.")
    message_add(
        ticket=ticket, actor=Actor.of_agent(agent_a), body_text="VIP? check", is_internal=True
    )
    page.reload()
    expect(page.get_by_text("Please restart it.")).to_be_visible()
    assert "VIP? check" not in page.content()
    assert "We usually answer" not in page.content()
    axe_check(page)
    screenshot(page, "portal-request-en")

    page.get_by_role("link", name="My requests").first.click()
    page.get_by_role("link", name=re.compile("The printer does not print")).wait_for()
    axe_check(page)
    screenshot(page, "portal-list-en")


def test_portal_pages_in_portuguese(new_page, live_url, agent_a, axe_check, screenshot):
    # The company's own name and colours, as an administrator sets them.
    SiteSettings.objects.create(
        company_name="Contabilidade Aurora", primary_color="#1e3a8a", accent_color="#f59e0b"
    )
    customer = make_customer("Maria da Silva", "maria@example.org")
    ticket = make_ticket(
        contact=customer,
        channel="web",
        subject="Não consigo emitir a nota fiscal",
        attachments=[NewAttachment(filename="tela.png", data=b"\x89PNG\r\n\x1a\n")],
    )
    make_ticket(contact=customer, subject="Dúvida sobre a fatura de outubro")
    message_add(
        ticket=ticket,
        actor=Actor.of_agent(agent_a),
        body_text="Olá, Maria! Já corrigimos o cadastro. Pode tentar de novo?",
    )

    page = new_page(locale="pt-BR")
    page.goto("/portal/")
    expect(page.get_by_role("heading", name="Como podemos ajudar você?")).to_be_visible()
    expect(page.get_by_text("Contabilidade Aurora").first).to_be_visible()
    axe_check(page)
    screenshot(page, "portal-home-pt-BR")
    page.goto("/portal/requests/new/")
    expect(page.get_by_text("Costumamos responder em até 24 horas.")).to_be_visible()
    screenshot(page, "portal-new-request-pt-BR")
    page.goto("/portal/sign-in/")
    axe_check(page)
    screenshot(page, "portal-sign-in-pt-BR")

    # Signed in by password, as a returning customer would.
    page.get_by_text("Entrar com senha").click()
    page.locator("#id_pw-email").fill("maria@example.org")
    page.get_by_label("Senha").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.get_by_role("heading", name="Olá, Maria").wait_for()
    axe_check(page)
    screenshot(page, "portal-list-pt-BR")

    page.get_by_role("link", name=re.compile("Não consigo emitir")).click()
    page.get_by_text("Já corrigimos o cadastro").wait_for()
    axe_check(page)
    screenshot(page, "portal-request-pt-BR")

    page.get_by_role("button", name="Marcar como resolvida").click()
    page.get_by_text("Marcamos a sua solicitação como resolvida").wait_for()
    ticket.refresh_from_db()
    assert ticket.status == "solved"

    page.get_by_role("link", name="Minha conta").click()
    page.locator("#id_password").fill("curta")
    page.get_by_label("Repita a nova senha").fill("curta")
    page.get_by_role("button", name="Salvar senha").click()
    page.get_by_role("alert").wait_for()
    axe_check(page)
    screenshot(page, "portal-account-errors-pt-BR")

    mobile = new_page(locale="pt-BR", viewport={"width": 390, "height": 844})
    mobile.goto(f"/portal/requests/{ticket.pk}/")
    assert "/portal/sign-in/" in mobile.url
    mobile.goto("/portal/requests/new/")
    axe_check(mobile)
    screenshot(mobile, "portal-new-request-mobile-pt-BR")
    mobile.get_by_role("button", name="Enviar solicitação").click()
    mobile.get_by_role("alert").wait_for()
    assert Ticket.objects.count() == 2
    axe_check(mobile)
    screenshot(mobile, "portal-new-request-errors-mobile-pt-BR")
