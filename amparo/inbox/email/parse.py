"""Turning the bytes of any real-world mail into text, sanitized HTML and attachments.

Nothing here trusts the message: charsets may be undeclared or wrong, headers malformed,
MIME broken. Every accessor falls back to something readable rather than raising, so the
only parse failure is one the stdlib parser itself cannot survive.
"""

from __future__ import annotations

import codecs
import email
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message as StdMessage
from email.utils import getaddresses, parsedate_to_datetime

from amparo.inbox.email import bodies
from amparo.tickets.services import NewAttachment

_MSGID = re.compile(r"<([^<>\s]+)>")


@dataclass
class ParsedMail:
    msg: StdMessage
    raw: bytes
    sha256: str
    message_id: str
    in_reply_to: list[str]
    references: list[str]
    subject: str
    from_name: str
    from_address: str
    reply_to: str
    to: list[str]
    cc: list[str]
    delivered_to: list[str]
    date: datetime | None
    text: str = ""
    html: str = ""
    attachments: list[NewAttachment] = field(default_factory=list)
    calendar: dict[str, str] = field(default_factory=dict)
    remote_images: int = 0
    collapse_from: int | None = None

    def header(self, name: str) -> str:
        return header_text(self.msg, name)

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.delivered_to]


def decode_bytes(payload: bytes, charset: str | None) -> str:
    """Declared charset if it decodes cleanly, else UTF-8, else Windows-1252 (never fails)."""
    candidates = [charset] if charset else []
    candidates += ["utf-8", "cp1252"]
    for name in candidates:
        if not name:
            continue
        try:
            codecs.lookup(name)
            return payload.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return payload.decode("latin-1")


def header_text(msg: StdMessage, name: str) -> str:
    """A header decoded (RFC 2047), or its raw text when it is too broken to decode."""
    try:
        value = msg.get(name)
        if value is None:
            return ""
        text = str(value)
    except Exception:
        raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
        try:
            text = str(make_header(decode_header(str(raw))))
        except Exception:
            text = str(raw)
    # Undecodable bytes come back as surrogates; make them printable.
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(text.split())


def header_all(msg: StdMessage, name: str) -> list[str]:
    try:
        return [str(v) for v in msg.get_all(name) or []]
    except Exception:
        return [str(v) for k, v in msg.raw_items() if k.lower() == name.lower()]


def addresses(msg: StdMessage, *names: str) -> list[tuple[str, str]]:
    values: list[str] = []
    for name in names:
        for raw in header_all(msg, name):
            values.append(raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    found = []
    for display, addr in getaddresses(values):
        addr = addr.strip().strip("<>").lower()
        if "@" in addr and " " not in addr:
            found.append((display.strip(), addr))
    return found


def message_ids(value: str) -> list[str]:
    found = _MSGID.findall(value or "")
    if not found and value and value.strip() and "@" in value:
        found = [v.strip("<>") for v in value.split() if "@" in v]
    return [f[:490] for f in found]


def parse(raw: bytes) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=policy.default)
    digest = hashlib.sha256(raw).hexdigest()
    ids = message_ids(header_text(msg, "Message-ID"))
    # A mail without Message-ID is identified by its bytes, so a second copy is still a duplicate.
    message_id = ids[0] if ids else f"sha256.{digest[:40]}@amparo.invalid"
    sender = addresses(msg, "From") or addresses(msg, "Sender")
    reply_to = addresses(msg, "Reply-To")
    try:
        date = parsedate_to_datetime(header_text(msg, "Date")) or None
        if date is not None and date.tzinfo is None:
            date = None
    except (TypeError, ValueError, IndexError):
        date = None
    parsed = ParsedMail(
        msg=msg,
        raw=raw,
        sha256=digest,
        message_id=message_id,
        in_reply_to=message_ids(header_text(msg, "In-Reply-To")),
        references=message_ids(" ".join(header_all(msg, "References"))),
        subject=header_text(msg, "Subject")[:500],
        from_name=sender[0][0][:200] if sender else "",
        from_address=sender[0][1] if sender else "",
        reply_to=reply_to[0][1] if reply_to else "",
        to=[a for _n, a in addresses(msg, "To")],
        cc=[a for _n, a in addresses(msg, "Cc")],
        delivered_to=[
            a for _n, a in addresses(msg, "Delivered-To", "X-Original-To", "Envelope-To")
        ],
        date=date,
    )
    bodies.extract(parsed, msg)
    return parsed
