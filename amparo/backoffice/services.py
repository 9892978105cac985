"""Writes of the management pages: macros, tags, custom field definitions and branding.

Every service checks the actor itself (supervisors and administrators), so an agent cannot
reach them through any edge. ``actor=None`` is the system (commands, demo data).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amparo.accounts.models import Team, User
from amparo.accounts.services import require_supervisor
from amparo.core.errors import DomainError
from amparo.core.models import (
    CustomFieldDefinition,
    CustomFieldTarget,
    CustomFieldType,
    SiteSettings,
)
from amparo.tickets.files import sniff_content_type
from amparo.tickets.models import Macro, Priority, Status, Tag

HEX_COLOR = re.compile(r"^#[0-9a-f]{6}$")
LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def clean_color(value: str, *, field: str) -> str:
    value = (value or "").strip().lower()
    if not HEX_COLOR.match(value):
        raise DomainError(_("Enter a colour as #rrggbb, for example #0f766e."), field=field)
    return value


def _luminance(color: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(color: str) -> float:
    return 1.05 / (_luminance(color) + 0.05)


def clean_tag_name(name: str) -> str:
    cleaned = slugify(name.strip(), allow_unicode=True)[:50]
    if not cleaned:
        raise DomainError(_("Enter a tag name of letters, digits or hyphens."), field="name")
    return cleaned


# --- Macros ---------------------------------------------------------------------------------------


@transaction.atomic
def macro_save(
    *,
    actor: User | None,
    macro: Macro | None = None,
    name: str,
    body: str = "",
    team: Team | None = None,
    status: str = "",
    priority: int | None = None,
    assign_team: Team | None = None,
    add_tags: list[str] | None = None,
    is_active: bool = True,
) -> Macro:
    """Creates (``macro=None``) or replaces a macro. ``team`` limits who sees it."""
    require_supervisor(actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Enter a name."), field="name")
    actions: dict[str, Any] = {}
    if status:
        if status not in Status.values:
            raise DomainError(_("Unknown status."), field="status")
        actions["status"] = status
    if priority is not None:
        if priority not in Priority.values:
            raise DomainError(_("Unknown priority."), field="priority")
        actions["priority"] = priority
    if assign_team is not None:
        actions["team_id"] = assign_team.pk
    tags = [clean_tag_name(t) for t in (add_tags or []) if t.strip()]
    if tags:
        actions["add_tags"] = list(dict.fromkeys(tags))
    if not body.strip() and not actions:
        raise DomainError(_("A macro needs a reply text or at least one change."), field="body")
    macro = macro or Macro()
    macro.name = name[:120]
    macro.body = body.strip()
    macro.team = team
    macro.actions = actions
    macro.is_active = is_active
    macro.save()
    return macro


@transaction.atomic
def macro_delete(*, actor: User | None, macro: Macro) -> None:
    require_supervisor(actor)
    macro.delete()


# --- Tags -----------------------------------------------------------------------------------------


@transaction.atomic
def tag_save(*, actor: User | None, tag: Tag | None = None, name: str, color: str) -> Tag:
    require_supervisor(actor)
    cleaned = clean_tag_name(name)
    color = clean_color(color, field="color")
    clash = Tag.objects.filter(name=cleaned)
    if tag is not None and tag.pk:
        clash = clash.exclude(pk=tag.pk)
    if clash.exists():
        raise DomainError(_("A tag with this name already exists."), field="name")
    tag = tag or Tag()
    tag.name = cleaned
    tag.color = color
    tag.save()
    return tag


@transaction.atomic
def tag_delete(*, actor: User | None, tag: Tag) -> None:
    """Removes the tag from every ticket too (the tickets stay)."""
    require_supervisor(actor)
    tag.delete()


# --- Custom field definitions ---------------------------------------------------------------------


def _clean_choices(field_type: str, choices: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if field_type == CustomFieldType.CHOICE:
        if not cleaned:
            raise DomainError(_("List at least one option, one per line."), field="choices")
        if any(len(c) > 100 for c in cleaned):
            raise DomainError(_("Options have at most 100 characters."), field="choices")
        return cleaned
    return []


@transaction.atomic
def custom_field_create(
    *,
    actor: User | None,
    target: str,
    key: str,
    label: str,
    field_type: str,
    choices: list[str] | None = None,
    required: bool = False,
    visible_to_customers: bool = False,
    position: int = 0,
) -> CustomFieldDefinition:
    require_supervisor(actor)
    if target not in CustomFieldTarget.values:
        raise DomainError(_("Unknown target."), field="target")
    if field_type not in CustomFieldType.values:
        raise DomainError(_("Unknown field type."), field="field_type")
    key = key.strip().lower()
    if not KEY_PATTERN.match(key):
        raise DomainError(
            _("The key starts with a letter and has only a-z, 0-9 and _ (at most 50)."),
            field="key",
        )
    if not label.strip():
        raise DomainError(_("Enter a label."), field="label")
    if CustomFieldDefinition.objects.filter(target=target, key=key).exists():
        raise DomainError(_("This key is already used for this target."), field="key")
    try:
        with transaction.atomic():
            return CustomFieldDefinition.objects.create(
                target=target,
                key=key,
                label=label.strip()[:100],
                field_type=field_type,
                choices=_clean_choices(field_type, choices or []),
                required=required,
                visible_to_customers=visible_to_customers,
                position=position,
            )
    except IntegrityError as exc:
        raise DomainError(_("This key is already used for this target."), field="key") from exc


@transaction.atomic
def custom_field_update(
    *,
    actor: User | None,
    definition: CustomFieldDefinition,
    label: str,
    choices: list[str] | None = None,
    required: bool = False,
    visible_to_customers: bool = False,
    position: int = 0,
) -> CustomFieldDefinition:
    """Target, key and type stay as created: stored values depend on them."""
    require_supervisor(actor)
    if not label.strip():
        raise DomainError(_("Enter a label."), field="label")
    definition.label = label.strip()[:100]
    definition.choices = _clean_choices(definition.field_type, choices or [])
    definition.required = required
    definition.visible_to_customers = visible_to_customers
    definition.position = position
    definition.save(
        update_fields=["label", "choices", "required", "visible_to_customers", "position"]
    )
    return definition


@transaction.atomic
def custom_field_delete(*, actor: User | None, definition: CustomFieldDefinition) -> None:
    """Stops showing and accepting the field; values already stored on records are kept."""
    require_supervisor(actor)
    definition.delete()


# --- Branding -------------------------------------------------------------------------------------


def site_settings_get() -> SiteSettings:
    site = SiteSettings.objects.order_by("pk").first()
    return site or SiteSettings()


@transaction.atomic
def branding_update(
    *,
    actor: User | None,
    company_name: str,
    primary_color: str,
    accent_color: str,
    support_email: str = "",
    logo_name: str = "",
    logo_data: bytes | None = None,
    remove_logo: bool = False,
) -> SiteSettings:
    require_supervisor(actor)
    company_name = company_name.strip()
    if not company_name:
        raise DomainError(_("Enter the company name."), field="company_name")
    primary = clean_color(primary_color, field="primary_color")
    accent = clean_color(accent_color, field="accent_color")
    if contrast_with_white(primary) < 4.5:
        # Buttons and links put white text on this colour; below 4.5:1 many cannot read it.
        raise DomainError(
            _("This colour is too light for white text on it; choose a darker one."),
            field="primary_color",
        )
    site = site_settings_get()
    site.company_name = company_name[:120]
    site.primary_color = primary
    site.accent_color = accent
    site.support_email = support_email.strip()
    if logo_data is not None:
        site.logo = _store_logo(logo_name, logo_data)  # type: ignore[assignment]
    elif remove_logo:
        site.logo = ""  # type: ignore[assignment]
    site.save()
    return site


def _store_logo(name: str, data: bytes) -> ContentFile[bytes]:
    limit = settings.BRANDING_LOGO_MAX_BYTES
    if len(data) > limit:
        raise DomainError(
            _("The logo is larger than %(kb)d KB.") % {"kb": limit // 1024}, field="logo"
        )
    # The bytes decide the type, never the name or the browser's claim; SVG is refused
    # because it can carry scripts.
    kind = sniff_content_type(data, name)
    ext = LOGO_TYPES.get(kind)
    if ext is None:
        raise DomainError(_("The logo must be a PNG, JPEG, GIF or WebP image."), field="logo")
    digest = hashlib.sha256(data).hexdigest()[:16]
    return ContentFile(data, name=f"logo-{digest}.{ext}")
