"""Received mail on the ticket page: original .eml, inline images, remote images, quoted text."""

from __future__ import annotations

import re
import struct
import zlib
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.test import Client

from amparo.accounts.models import Role, User
from amparo.core.actors import Actor
from amparo.inbox.email.ingest import ingest
from amparo.inbox.services import mailbox_create
from amparo.tickets.models import Attachment, Message, Ticket
from amparo.tickets.services import message_add, tickets_bulk_merge

pytestmark = pytest.mark.django_db


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG, so the type sniffed from the bytes is image/png."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def mail(
    *,
    text: str,
    html: str | None = None,
    related: list[tuple[bytes, str, str, str]] = (),  # type: ignore[assignment]
    sender: str = "Maria da Silva <maria@example.org>",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "suporte@amparo.test"
    msg["Subject"] = "Erro na nota fiscal"
    msg["Message-ID"] = make_msgid(domain="client.example.org")
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
        html_part = msg.get_payload()[1]
        for data, maintype, subtype, cid in related:
            html_part.add_related(data, maintype, subtype, cid=f"<{cid}>")
    return msg.as_bytes()


@pytest.fixture
def mailbox(team_a):
    return mailbox_create(name="Suporte", address="suporte@amparo.test", team=team_a)


@pytest.fixture
def desk(client, agent_a):
    agent_a.language = "en"
    agent_a.save(update_fields=["language"])
    client.force_login(agent_a)
    return client


def received(raw: bytes) -> tuple[Ticket, Message]:
    result = ingest(raw, source="pipe")
    return Ticket.objects.get(pk=result.ticket_id), Message.objects.get(pk=result.message_id)


def page(desk: Client, ticket: Ticket) -> str:
    response = desk.get(f"/desk/tickets/{ticket.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def article(html: str, message: Message) -> str:
    start = html.index(f'id="message-{message.pk}"')
    return html[start : html.index("</article>", start)]


def test_original_email_is_offered_only_to_agents_who_see_the_ticket(
    desk, mailbox, agent_b, contact
):
    raw = mail(text="Olá, o sistema mostra um erro.")
    ticket, message = received(raw)
    other = message_add(
        ticket=ticket,
        actor=Actor.of_contact(contact),
        body_text="Pelo WhatsApp",
        channel="whatsapp",
    )
    html = page(desk, ticket)
    url = f"/inbox/email/messages/{message.pk}/original.eml"
    assert f'href="{url}"' in article(html, message)
    assert "Original email" in article(html, message)
    assert "original.eml" not in article(html, other)

    response = desk.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == raw

    outsider = Client()
    outsider.force_login(agent_b)  # another team: neither the ticket nor its mail
    assert outsider.get(f"/desk/tickets/{ticket.pk}/").status_code == 404
    assert outsider.get(url).status_code == 404
    customer = User.objects.create_user("maria@example.org", "x" * 12, role=Role.CUSTOMER)
    as_customer = Client()
    as_customer.force_login(customer)
    assert as_customer.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_original_email_follows_its_message_into_a_merged_ticket(
    desk, mailbox, agent_a, team_a, team_b, contact
):
    ticket, message = received(mail(text="Primeiro pedido."))
    ticket.team = team_b
    ticket.save(update_fields=["team"])  # say it was moved to a team agent A cannot see
    admin = User.objects.create_user("chefe@example.com", "x" * 12, role=Role.ADMIN)
    target = Ticket.objects.create(
        subject="Principal", channel="email", contact=contact, team=team_a
    )
    tickets_bulk_merge(agent=admin, ticket_ids=[ticket.pk], target_id=target.pk)
    html = page(desk, target)
    url = f"/inbox/email/messages/{message.pk}/original.eml"
    assert f'href="{url}"' in html
    assert desk.get(url).status_code == 200


def test_inline_images_show_in_place_and_nothing_active_is_served_inline(desk, mailbox):
    raw = mail(
        text="Segue o print.",
        html=(
            '<p>Segue o print:</p><img src="cid:print@client" alt="print">'
            '<img src="cid:desenho@client" alt="desenho">'
        ),
        related=[
            (png(), "image", "png", "print@client"),
            (SVG, "image", "svg+xml", "desenho@client"),
        ],
    )
    ticket, message = received(raw)
    shot = Attachment.objects.get(message=message, content_id="print@client")
    drawing = Attachment.objects.get(message=message, content_id="desenho@client")
    html = article(page(desk, ticket), message)
    # The screenshot is in the text where the customer put it, not in the list of files.
    assert f'<img src="/attachments/{shot.pk}/?inline=1" alt="print">' in html
    assert f'href="/attachments/{shot.pk}/"' not in html
    # The SVG could carry script: not shown in place (no request at all), offered as a file.
    assert "cid:" not in html
    assert '<img alt="desenho">' in html
    assert f'href="/attachments/{drawing.pk}/"' in html

    image = desk.get(f"/attachments/{shot.pk}/?inline=1")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline")
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image["Content-Security-Policy"]
    svg = desk.get(f"/attachments/{drawing.pk}/?inline=1")
    assert svg["Content-Type"] == "application/octet-stream"
    assert svg["Content-Disposition"].startswith("attachment")


def test_html_attachment_is_never_served_inline(desk, mailbox):
    msg = EmailMessage()
    msg["From"] = "maria@example.org"
    msg["To"] = "suporte@amparo.test"
    msg["Subject"] = "Página"
    msg.set_content("Veja a página anexa.")
    msg.add_attachment(
        b"<html><script>alert(document.cookie)</script></html>",
        maintype="text",
        subtype="html",
        filename="pagina.html",
    )
    _ticket, message = received(msg.as_bytes())
    attachment = Attachment.objects.get(message=message)
    response = desk.get(f"/attachments/{attachment.pk}/?inline=1")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_remote_images_wait_until_the_agent_asks(desk, mailbox, contact, agent_a):
    raw = mail(
        text="Veja o logo.",
        html=(
            '<p>Veja o logo:</p><img src="https://tracker.example/pixel.gif?u=maria&amp;c=1">'
            '<img src="http://cdn.example/logo.png" alt="logo">'
        ),
    )
    ticket, message = received(raw)
    # Any other path that stores HTML with a remote image is held back the same way.
    api = message_add(
        ticket=ticket,
        actor=Actor.of_contact(contact),
        body_html='<p>Pelo widget</p><img src="https://widget.example/a.png">',
        channel="chat",
    )
    response = desk.get(f"/desk/tickets/{ticket.pk}/")
    html = response.content.decode()
    mail_html = article(html, message)
    assert "tracker.example" in mail_html
    assert not re.search(r'\ssrc="(https?:)?//', html)  # nothing remote loads by itself
    assert 'data-remote-src="https://tracker.example/pixel.gif?u=maria&amp;c=1"' in mail_html
    assert 'data-remote-src="http://cdn.example/logo.png"' in mail_html
    assert "This email has 2 images from the internet" in mail_html
    assert "data-load-remote-images" in mail_html and "Load remote images" in mail_html
    assert 'data-remote-src="https://widget.example/a.png"' in article(html, api)
    # The page lets https: images load, so the button can swap them in; nothing else loosens.
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: https:;" in policy and "script-src 'self';" in policy
    # Other pages keep the strict policy.
    assert "https:" not in desk.get("/desk/")["Content-Security-Policy"]


def test_a_mail_without_remote_images_has_no_button(desk, mailbox):
    ticket, _message = received(mail(text="Só texto."))
    assert "Load remote images" not in page(desk, ticket)


PLAIN_REPLY = """Funcionou, obrigada!

Maria

Em seg., 1 de dez. de 2026 às 10:00, Suporte <suporte@amparo.test> escreveu:
> Tente emitir a nota de novo.
> Abraço
"""

GMAIL_HTML = """<div dir="ltr">Funcionou, obrigada!<br><br>Maria</div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Dec 1, 2026 at 10:00 AM
Suporte &lt;<a href="mailto:suporte@amparo.test">suporte@amparo.test</a>&gt; wrote:<br></div>
<blockquote class="gmail_quote">Tente emitir a nota de novo.<br>Abraço</blockquote></div>"""

OUTLOOK_HTML = """<div class="WordSection1"><p>Funcionou, obrigada!</p><p>Maria</p>
<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p><b>From:</b> Suporte
&lt;suporte@amparo.test&gt;<br><b>Sent:</b> Monday, December 1, 2026 10:00<br>
<b>Subject:</b> Nota fiscal</p></div><p>Tente emitir a nota de novo.</p></div>"""


@pytest.mark.parametrize(
    "html", [None, GMAIL_HTML, OUTLOOK_HTML], ids=["plain text", "gmail", "outlook"]
)
def test_quoted_history_is_folded_but_kept(desk, mailbox, html):
    ticket, message = received(mail(text=PLAIN_REPLY, html=html))
    body = article(page(desk, ticket), message)
    assert "Funcionou, obrigada!" in body
    before, _details, inside = body.partition('<details class="msg-quoted">')
    inside = inside.partition("</details>")[0]
    assert "Funcionou, obrigada!" in before and "Tente emitir" not in before
    assert "<summary>Show quoted text</summary>" in inside
    assert "Tente emitir a nota de novo." in inside
    # Whatever the cut left open is closed again: the page stays well formed.
    assert inside.count("<div") == inside.count("</div>")


def test_mail_that_is_all_quote_or_has_none_is_shown_whole(desk, mailbox):
    ticket, plain = received(mail(text="Obrigada, deu certo."))
    forward = mail(text="x", html="<blockquote>Só a mensagem antiga.</blockquote>")
    _ticket, quoted_only = received(forward)
    assert "msg-quoted" not in article(page(desk, ticket), plain)
    body = article(page(desk, _ticket), quoted_only)
    assert "msg-quoted" not in body and "Só a mensagem antiga." in body


def test_markup_in_mail_stays_inert(desk, mailbox):
    raw = mail(
        text="x",
        html=(
            '<p onclick="alert(1)">Oi</p><img src="cid:a&quot; onerror=&quot;alert(2)">'
            '<img src="https://x.example/&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;">'
            "<script>alert(4)</script><style>body{display:none}</style>"
            "<p>--<br>Maria</p><blockquote><img src=x onerror=alert(5)></blockquote>"
        ),
    )
    ticket, message = received(raw)
    body = article(page(desk, ticket), message)
    assert "<script" not in body and "onerror" not in body and "onclick" not in body
    assert "<style" not in body


def test_an_image_above_the_quote_stays_with_the_message(desk, mailbox):
    raw = mail(
        text="x",
        html=(
            '<p>Veja:</p><p><img src="cid:print@client" alt="print"></p>'
            "<div>On Mon, Dec 1, 2026, Suporte wrote:<br></div><blockquote>Antigo.</blockquote>"
        ),
        related=[(png(), "image", "png", "print@client")],
    )
    ticket, message = received(raw)
    before, _details, inside = article(page(desk, ticket), message).partition("<details")
    assert 'alt="print"' in before and "Antigo." in inside
