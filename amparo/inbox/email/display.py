"""How the desk shows a received mail: quoted history folded, inline images in place, remote
images held back until the agent asks.

Everything here works on HTML that was sanitized when stored and is sanitized again here; the
only markup added afterwards is ours (an attachment URL, a ``data-remote-src`` attribute whose
value was already escaped by the sanitizer).
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from django.urls import reverse

from amparo.core.html import html_to_text, sanitize_html, text_to_html
from amparo.inbox.email.bodies import block_remote_images, collapse_offset
from amparo.tickets.files import INLINE_IMAGE_TYPES
from amparo.tickets.models import Attachment, Message

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"')
_REMOTE = re.compile(r'\stitle="remote-image:([^"]*)"')
_WHITESPACE = re.compile(r"[\t\n\r\f\v]")
_BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}


@dataclass
class MailBody:
    html: str
    quoted_html: str = ""
    remote_images: int = 0
    inline_attachment_ids: set[int] = field(default_factory=set)


def received_mail(message: Message) -> dict[str, Any] | None:
    """The email data of a message that arrived as a mail, else None."""
    meta = (message.channel_meta or {}).get("email")
    if isinstance(meta, dict) and meta.get("mail_id"):
        return meta
    return None


def message_body(message: Message, attachments: Iterable[Attachment] = ()) -> MailBody:
    """The safe HTML of any message; for received mail also folded and with inline images."""
    meta = received_mail(message)
    if meta is None:
        if not message.body_html:
            return MailBody(html="")  # shown as plain text
        main, quoted = sanitize_html(message.body_html), ""
    else:
        main, quoted = _split(message, meta)
    body = MailBody(html="")
    by_cid = {_cid(a.content_id): a for a in attachments if a.content_id and meta is not None}
    body.html = _images(main, by_cid, body)
    body.quoted_html = _images(quoted, by_cid, body) if quoted else ""
    return body


def _split(message: Message, meta: dict[str, Any]) -> tuple[str, str]:
    offset = meta.get("collapse_from")
    text = message.body_text
    if not message.body_html or message.body_html == text_to_html(text):
        # A plain-text mail: the offset bodies.py found when it arrived says where to fold.
        if isinstance(offset, int) and 0 < offset < len(text) and text[:offset].strip():
            return text_to_html(text[:offset]), text_to_html(text[offset:])
        return text_to_html(text), ""
    return split_quoted_html(sanitize_html(message.body_html))


def split_quoted_html(clean: str) -> tuple[str, str]:
    """Sanitized HTML cut where quoted history or the signature starts: (message, quoted).

    The same markers as for plain text (bodies.collapse_offset) are looked for in the text of
    the HTML, and a trailing <blockquote> counts too. The cut is made before the outermost
    element (or after the line break) where that text starts; both halves are sanitized again,
    which closes what the cut left open.
    """
    outline = _Outline(clean)
    try:
        outline.feed(clean)
        outline.close()
    except Exception:
        return clean, ""
    text = "".join(outline.parts).replace("\xa0", " ")
    cut = collapse_offset(text)
    for _at, start, end in outline.quotes:
        if not text[end:].strip() and text[:start].strip():
            cut = start if cut is None else min(cut, start)
    if cut is None or not text[:cut].strip():
        return clean, ""
    at = next((at for at, t in outline.points if t <= cut and not text[t:cut].strip()), None)
    if at is None:
        return clean, ""
    main, quoted = sanitize_html(clean[:at]), sanitize_html(clean[at:])
    if not html_to_text(quoted).strip():
        return clean, ""
    return main, quoted


class _Outline(HTMLParser):
    """The text of the HTML with its line breaks, and where elements start in both."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self._lines = [0] + [m.end() for m in re.finditer("\n", source)]
        self.parts: list[str] = []
        self.length = 0
        self.points: list[tuple[int, int]] = []  # (offset in the HTML, offset in the text)
        self.quotes: list[tuple[int, int, int]] = []  # outermost blockquotes: html, text start/end
        self._open_quotes: list[tuple[int, int]] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def _text(self, value: str) -> None:
        self.parts.append(value)
        self.length += len(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._at()
        if tag == "br":
            self._text("\n")
            self.points.append((at + len(self.get_starttag_text() or ""), self.length))
            return
        if tag == "img":
            # An image is content (a screenshot above the quote), not blank space.
            self._text("\ufffc")
            return
        if tag in _BLOCKS:
            self._text("\n")
            self.points.append((at, self.length))
        if tag == "blockquote":
            self._open_quotes.append((at, self.length))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._text("\n")
        if tag == "blockquote" and self._open_quotes:
            at, start = self._open_quotes.pop()
            if not self._open_quotes:
                self.quotes.append((at, start, self.length))

    def handle_data(self, data: str) -> None:
        # Line breaks in the HTML source are spaces on screen; only elements break lines.
        self._text(_WHITESPACE.sub(" ", data))


def _cid(value: str) -> str:
    return unquote(value).strip().strip("<>").strip().lower()


def _images(clean: str, by_cid: dict[str, Attachment], body: MailBody) -> str:
    """Inline images point at their attachment; remote ones wait behind ``data-remote-src``."""
    clean, _count = block_remote_images(clean)

    def fix(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        if src and src.group(1).lower().startswith("cid:"):
            attachment = by_cid.get(_cid(htmllib.unescape(src.group(1))[4:]))
            if attachment is not None and attachment.content_type in INLINE_IMAGE_TYPES:
                url = reverse("attachment", args=[attachment.pk]) + "?inline=1"
                tag = tag.replace(src.group(0), f' src="{htmllib.escape(url)}"')
                body.inline_attachment_ids.add(attachment.pk)
            else:
                # Nothing we may show in place: no request for it at all.
                tag = tag.replace(src.group(0), "")
        remote = _REMOTE.search(tag)
        if remote:
            tag = tag.replace(remote.group(0), f' data-remote-src="{remote.group(1)}"')
            body.remote_images += 1
        return tag

    return _IMG.sub(fix, clean)
