"""Parsing real-world mail: charsets, encoded headers, broken MIME, inline images, invitations."""

from __future__ import annotations

from amparo.inbox.email.parse import parse
from amparo.tickets.files import normalize_filename

from .mails import make_mail


def test_undeclared_latin1_body_is_read():
    raw = (
        b"From: joao@example.org\r\nTo: suporte@amparo.test\r\nSubject: teste\r\n"
        b"Message-ID: <a@b>\r\n\r\nN\xe3o funciona a emiss\xe3o\r\n"
    )
    assert "Não funciona a emissão" in parse(raw).text


def test_wrong_declared_charset_falls_back():
    raw = (
        b"From: joao@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Ol\xc3\xa1, a\xc3\xa7\xc3\xa3o\r\n"
    )
    assert parse(raw).text.strip() == "Olá, ação"


def test_unknown_charset_does_not_fail():
    raw = (
        b"From: joao@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nOl\xe1\r\n"
    )
    assert parse(raw).text.strip() == "Olá"


def test_rfc2047_subject_and_sender_name():
    raw = (
        b"From: =?ISO-8859-1?Q?Jo=E3o_Gon=E7alves?= <joao@example.org>\r\n"
        b"Subject: =?UTF-8?B?Tm90YSBmaXNjYWwgbsOjbyBlbWl0aWRh?=\r\n\r\nx\r\n"
    )
    parsed = parse(raw)
    assert parsed.subject == "Nota fiscal não emitida"
    assert parsed.from_name == "João Gonçalves"
    assert parsed.from_address == "joao@example.org"


def test_rfc2231_filename_is_decoded_and_normalized():
    raw = (
        b"From: a@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain\r\n\r\nsee file\r\n--b\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=UTF-8''..%2F..%2Frelat%C3%B3rio%E2%80%AEfdp.exe\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nSGVsbG8=\r\n--b--\r\n"
    )
    parsed = parse(raw)
    assert len(parsed.attachments) == 1
    name = normalize_filename(parsed.attachments[0].filename)
    assert name == "relatóriofdp.exe"
    assert parsed.attachments[0].data == b"Hello"


def test_malformed_mime_without_closing_boundary():
    raw = (
        b"From: a@example.org\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\n'
        b"Content-Type: text/plain\r\n\r\nstill readable\r\n"
    )
    assert "still readable" in parse(raw).text


def test_missing_message_id_is_derived_from_the_bytes():
    raw = b"From: a@example.org\r\nSubject: s\r\n\r\nbody\r\n"
    assert parse(raw).message_id == parse(raw).message_id
    assert parse(raw).message_id.endswith("@amparo.invalid")


def test_html_is_sanitized_inline_images_kept_remote_images_blocked():
    raw = make_mail(
        html=(
            '<p onclick="x()">Oi<script>alert(1)</script></p>'
            '<img src="cid:logo@x"><img src="https://tracker.example.com/p.gif">'
        ),
        attachments=[],
    )
    parsed = parse(raw)
    assert "script" not in parsed.html and "onclick" not in parsed.html
    assert 'src="cid:logo@x"' in parsed.html
    assert 'src="https://tracker' not in parsed.html
    assert 'title="remote-image:https://tracker.example.com/p.gif"' in parsed.html
    assert parsed.remote_images == 1


def test_calendar_invitation_summarized_and_attached():
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Visita técnica\r\n"
        "DTSTART:20261201T130000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    raw = make_mail(attachments=[("invite.ics", ics.encode(), "text/calendar")])
    parsed = parse(raw)
    assert parsed.calendar["summary"] == "Visita técnica"
    assert parsed.calendar["method"] == "REQUEST"
    assert [a.filename for a in parsed.attachments] == ["invite.ics"]


def test_forwarded_message_is_kept_and_shown():
    inner = make_mail(sender="cliente@example.com", subject="Pedido 123", body="Texto original")
    raw = (
        b"From: maria@example.org\r\nSubject: Fwd: Pedido 123\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain\r\n\r\nVeja abaixo\r\n--b\r\n"
        b"Content-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--b--\r\n"
    )
    parsed = parse(raw)
    assert "Veja abaixo" in parsed.text and "Texto original" in parsed.text
    assert parsed.attachments[0].filename == "Pedido 123.eml"


def test_quoted_history_and_signature_found_for_collapsing():
    body = (
        "Obrigada!\n\nEm seg., 1 de dez. de 2026 às 10:00, Suporte escreveu:\n> Olá\n> Tudo certo"
    )
    parsed = parse(make_mail(body=body))
    assert parsed.collapse_from is not None
    assert parsed.text[: parsed.collapse_from].strip() == "Obrigada!"
    assert "> Tudo certo" in parsed.text  # kept, only collapsed for display


def _tnef(filename: bytes, data: bytes) -> bytes:
    """A minimal winmail.dat as Outlook writes it: one attachment (title and data)."""
    import struct

    def obj(level: int, name: int, kind: int, payload: bytes) -> bytes:
        checksum = sum(payload) & 0xFFFF
        return (
            struct.pack("<BHHI", level, name, kind, len(payload))
            + payload
            + struct.pack("<H", checksum)
        )

    return (
        struct.pack("<IH", 0x223E9F78, 1)
        + obj(2, 0x9002, 0x0006, b"\x00" * 14)
        + obj(2, 0x8010, 0x0001, filename + b"\x00")
        + obj(2, 0x800F, 0x0006, data)
    )


def test_winmail_dat_attachments_extracted():
    tnef = _tnef(b"relatorio.pdf", b"%PDF-1.4 conteudo")
    parsed = parse(make_mail(attachments=[("winmail.dat", tnef, "application/ms-tnef")]))
    assert [(a.filename, a.data) for a in parsed.attachments] == [
        ("relatorio.pdf", b"%PDF-1.4 conteudo")
    ]


def test_unreadable_winmail_dat_is_kept_as_it_came():
    raw = make_mail(attachments=[("winmail.dat", b"not really tnef", "application/ms-tnef")])
    assert [a.filename for a in parse(raw).attachments] == ["winmail.dat"]


def test_crlf_mail_leaves_no_carriage_returns_in_the_text():
    raw = (
        b"From: joana@example.org\r\nTo: suporte@amparo.test\r\nSubject: Re: lenta\r\n"
        b"Message-ID: <crlf@x>\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nObrigada!\r\nFico no aguardo.\r\n"
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Obrigada!</p>\r\n--b--\r\n"
    )
    assert parse(raw).text == "Obrigada!\nFico no aguardo."
