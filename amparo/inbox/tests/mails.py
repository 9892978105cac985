"""Building test mail the way real clients write it."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone

_seq = itertools.count(1)


def make_mail(
    *,
    sender: str = "Maria da Silva <maria@example.org>",
    to: str = "suporte@amparo.test",
    subject: str = "Não consigo emitir a nota fiscal",
    body: str = "Olá, o sistema mostra um erro ao emitir a nota.",
    html: str | None = None,
    message_id: str | None = None,
    cc: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = f"<{message_id or f'test-{next(_seq)}-{id(msg)}@client.example.org'}>"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for filename, data, ctype in attachments or []:
        maintype, _slash, subtype = ctype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def dsn_for(*, original: bytes, recipient: str, status: str = "5.1.1") -> bytes:
    """An RFC 3464 delivery report returning ``original``, as Postfix writes it."""
    boundary = "dsn-boundary-1"
    return (
        (
            "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n"
            "To: suporte@amparo.test\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\n"
            f"Message-ID: <dsn-{next(_seq)}@mx.example.org>\r\n"
            "Auto-Submitted: auto-replied\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
            "\r\n"
            f"--{boundary}\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
            f"--{boundary}\r\n"
            "Content-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; mx.example.org\r\n\r\n"
            f"Final-Recipient: rfc822; {recipient}\r\n"
            "Action: failed\r\n"
            f"Status: {status}\r\n"
            "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
            f"--{boundary}\r\n"
            "Content-Type: message/rfc822\r\n\r\n"
        ).encode()
        + original
        + f"\r\n--{boundary}--\r\n".encode()
    )
