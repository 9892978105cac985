"""The parts of a mail: bodies, attachments, winmail.dat, calendar invitations, forwards."""

from __future__ import annotations

import logging
import mimetypes
import re
from email.message import Message as StdMessage
from typing import TYPE_CHECKING

from amparo.core.html import sanitize_html
from amparo.tickets.services import NewAttachment

if TYPE_CHECKING:
    from amparo.inbox.email.parse import ParsedMail

logger = logging.getLogger(__name__)

MAX_DEPTH = 20
_REMOTE_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\ssrc\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)

# Where quoted history or a signature starts, in the languages our customers write.
_QUOTE_MARKERS = [
    re.compile(r"^On .{0,300}?wrote:\s*$", re.MULTILINE | re.DOTALL),
    re.compile(r"^Em .{0,300}?escreveu:\s*$", re.MULTILINE | re.DOTALL),
    re.compile(
        r"^-{2,}\s*(Original Message|Mensagem original|Forwarded message|Mensagem encaminhada)",
        re.MULTILINE | re.IGNORECASE,
    ),
    re.compile(r"^(From|De):\s.*\n(Sent|Date|Enviado|Enviada|Data|Em):", re.MULTILINE),
    re.compile(r"^>.*(\n>.*)*\s*\Z", re.MULTILINE),
    re.compile(r"^-- ?$", re.MULTILINE),
    re.compile(r"^(Sent from my|Enviado do meu|Enviado de meu)\b", re.MULTILINE),
]


def _payload(part: StdMessage) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _text_of(part: StdMessage) -> str:
    from amparo.inbox.email.parse import decode_bytes

    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    return decode_bytes(_payload(part), charset)


def _filename(part: StdMessage) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    if not name:
        try:
            name = part.get_param("name") or ""  # type: ignore[assignment]
        except Exception:
            name = ""
        if isinstance(name, tuple):
            name = str(name[2])
    return str(name)


def _content_type(part: StdMessage) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def _default_name(content_type: str) -> str:
    ext = mimetypes.guess_extension(content_type) or ".bin"
    return f"attachment{ext}"


def extract(parsed: ParsedMail, msg: StdMessage) -> None:
    texts: list[str] = []
    htmls: list[str] = []
    _walk(parsed, msg, texts, htmls, depth=0)
    # Line ends normalized before trimming, or a part's final CRLF leaves a stray "\r".
    texts = [t.replace("\r\n", "\n").replace("\r", "\n") for t in texts]
    text = "\n\n".join(t.strip("\n") for t in texts if t.strip())
    html = "\n".join(htmls)
    if html:
        html, parsed.remote_images = block_remote_images(sanitize_html(html))
    parsed.text = text.replace("\x00", "")
    parsed.html = html
    parsed.collapse_from = collapse_offset(parsed.text)


def _walk(
    parsed: ParsedMail, part: StdMessage, texts: list[str], htmls: list[str], *, depth: int
) -> None:
    if depth > MAX_DEPTH:
        return
    ctype = _content_type(part)
    if ctype == "message/rfc822":
        _forwarded(parsed, part, texts)
        return
    if part.is_multipart():
        payload = part.get_payload()
        if not isinstance(payload, list):
            return
        children: list[StdMessage] = [c for c in payload if isinstance(c, StdMessage)]
        if ctype == "multipart/alternative":
            # One rendering of the same content: the richest we understand, plus plain text.
            plain = [c for c in children if _content_type(c) == "text/plain"]
            html = [c for c in children if _content_type(c) == "text/html"]
            others = [c for c in children if c not in plain and c not in html]
            if plain:
                texts.append(_text_of(plain[0]))
            if html:
                htmls.append(_text_of(html[-1]))
            for child in others:
                _walk(parsed, child, texts, htmls, depth=depth + 1)
            return
        for child in children:
            _walk(parsed, child, texts, htmls, depth=depth + 1)
        return
    try:
        disposition = part.get_content_disposition()
    except Exception:
        disposition = None
    filename = _filename(part)
    is_attachment = disposition == "attachment" or bool(filename)
    if ctype == "text/plain" and not is_attachment:
        texts.append(_text_of(part))
        return
    if ctype == "text/html" and not is_attachment:
        htmls.append(_text_of(part))
        return
    data = _payload(part)
    is_tnef = ctype in {"application/ms-tnef", "application/vnd.ms-tnef"}
    if (is_tnef or filename.lower() == "winmail.dat") and _tnef(parsed, data, texts, htmls):
        return
    if ctype == "text/calendar":
        parsed.calendar = calendar_summary(_text_of(part))
        filename = filename or "invite.ics"
    content_id = ""
    try:
        content_id = str(part.get("Content-ID") or "").strip().strip("<>")
    except Exception:
        content_id = ""
    parsed.attachments.append(
        NewAttachment(
            filename=filename or _default_name(ctype),
            data=data,
            content_id=content_id,
            is_inline=bool(content_id) and disposition != "attachment",
        )
    )


def _forwarded(parsed: ParsedMail, part: StdMessage, texts: list[str]) -> None:
    """A forwarded mail: kept whole as an .eml and its text shown below the forwarder's."""
    from amparo.inbox.email.parse import header_text

    inner = part.get_payload()
    inner_msg = inner[0] if isinstance(inner, list) and inner else None
    if not isinstance(inner_msg, StdMessage):
        return
    try:
        data = inner_msg.as_bytes()
    except Exception:
        data = _payload(part)
    subject = header_text(inner_msg, "Subject") or "forwarded"
    parsed.attachments.append(NewAttachment(filename=f"{subject[:80]}.eml", data=data))
    inner_texts: list[str] = []
    inner_html: list[str] = []
    _walk(parsed, inner_msg, inner_texts, inner_html, depth=MAX_DEPTH - 3)
    from amparo.core.html import html_to_text

    body = "\n".join(inner_texts) or html_to_text(sanitize_html("\n".join(inner_html)))
    heading = "\n".join(
        f"{name}: {header_text(inner_msg, name)}"
        for name in ("From", "Date", "Subject", "To")
        if header_text(inner_msg, name)
    )
    texts.append(f"---------- Forwarded message ----------\n{heading}\n\n{body}")


def _tnef(parsed: ParsedMail, data: bytes, texts: list[str], htmls: list[str]) -> bool:
    """Outlook's winmail.dat: its files become attachments; False if it cannot be read."""
    try:
        from tnefparse import TNEF

        tnef = TNEF(data)
    except Exception:
        logger.info("unreadable winmail.dat kept as is", exc_info=True)
        return False
    for item in tnef.attachments:
        try:
            name = item.long_filename() or item.name
        except Exception:
            name = getattr(item, "name", "") or "attachment.bin"
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        parsed.attachments.append(NewAttachment(filename=str(name), data=bytes(item.data)))
    body = getattr(tnef, "body", None)
    if body and not texts:
        texts.append(body.decode("cp1252", "replace") if isinstance(body, bytes) else str(body))
    html = getattr(tnef, "htmlbody", None)
    if html and not htmls:
        htmls.append(html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html))
    return True


def calendar_summary(ics: str) -> dict[str, str]:
    """What an agent needs of an invitation without opening it: method, summary, start."""
    unfolded = re.sub(r"\r?\n[ \t]", "", ics)
    summary: dict[str, str] = {}
    for line in unfolded.splitlines():
        key, sep, value = line.partition(":")
        name = key.split(";")[0].upper()
        if sep and name in {"METHOD", "SUMMARY", "DTSTART", "DTEND", "LOCATION", "ORGANIZER"}:
            summary.setdefault(name.lower(), value.strip()[:300])
    return summary


def block_remote_images(html: str) -> tuple[str, int]:
    """Remote images would tell the sender when an agent reads the mail: not loaded by default.

    The address moves to ``title`` (kept by the sanitizer); the desk restores it when an
    agent asks to load images. ``cid:`` and ``data:`` images stay.
    """
    count = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal count
        tag = match.group(0)
        src = _SRC.search(tag)
        if not src:
            return tag
        url = src.group(2) or src.group(3) or src.group(4) or ""
        if not url.lower().startswith(("http:", "https:", "//")):
            return tag
        count += 1
        tag = _SRC.sub("", tag)
        tag = re.sub(r"\stitle\s*=\s*(\"[^\"]*\"|'[^']*')", "", tag, flags=re.IGNORECASE)
        safe = url.replace('"', "%22")
        return tag[:4] + f' title="remote-image:{safe}"' + tag[4:]

    return _REMOTE_IMG.sub(fix, html), count


_HELD = re.compile(r'\stitle="remote-image:((?:https?:)?//[^"\s]+)"', re.IGNORECASE)


def restore_remote_images(html: str) -> str:
    """The addresses ``block_remote_images`` held back, put back as ``src``: for mail an agent
    wrote (their signature's logo, say) and Amparo sends on to the customer, whose own mail
    program decides whether to load them."""
    return _HELD.sub(lambda m: f' src="{m.group(1)}"', html)


def collapse_offset(text: str) -> int | None:
    """Where quoted history or the signature starts: collapsed for display, never removed."""
    starts = [m.start() for rx in _QUOTE_MARKERS for m in [rx.search(text)] if m]
    starts = [s for s in starts if s > 0]
    return min(starts) if starts else None
