"""Storing attachments: size limit, safe filename, sniffed content type."""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
import unicodedata

import puremagic
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from amparo.core.errors import DomainError
from amparo.tickets.models import Attachment, Message, Ticket

# Types shown in place from our origin (an <img>, the browser's viewer) without running
# anything: never SVG or HTML, which can carry script. Everything else is a download.
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
INLINE_SAFE_TYPES = INLINE_IMAGE_TYPES | {"application/pdf"}

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
# Format and other invisible code points (RTL override, zero-width) that disguise extensions.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}


def normalize_filename(name: str) -> str:
    """A filename safe to show and to offer as a download: no path, no invisible characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    name = name.replace("\\", "/")
    name = posixpath.basename(name)
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        name = _("attachment")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) < 20 else name[:200]
    return name


def sniff_content_type(data: bytes, filename: str) -> str:
    """The type the bytes say they are; the declared type is never trusted."""
    try:
        matches = puremagic.magic_string(data[:8192], filename)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        if match.mime_type:
            return str(match.mime_type)
    if _looks_textual(data):
        guessed, _enc = mimetypes.guess_type(filename)
        if guessed in {"text/csv", "text/plain", "text/calendar", "application/json"}:
            return guessed
        return "text/plain"
    return "application/octet-stream"


def _looks_textual(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def attachment_store(
    *,
    ticket: Ticket,
    message: Message | None,
    filename: str,
    data: bytes,
    content_id: str = "",
    is_inline: bool = False,
) -> Attachment:
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        raise DomainError(
            _("The file %(name)s is larger than the limit of %(limit)s MB.")
            % {"name": filename, "limit": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            field="attachments",
            code="too_large",
        )
    clean_name = normalize_filename(filename)
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        ticket=ticket,
        message=message,
        filename=clean_name,
        content_type=sniff_content_type(data, clean_name),
        size=len(data),
        sha256=digest,
        content_id=content_id[:250],
        is_inline=is_inline,
    )
    attachment.file.save(digest, ContentFile(data), save=False)
    attachment.save()
    return attachment
