"""/api/v1/contacts and /api/v1/organizations."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from amparo.accounts.models import User
from amparo.api.pagination import keyset_page
from amparo.core.errors import DomainError
from amparo.crm import selectors, services
from amparo.crm.models import ContactIdentity, Organization
from amparo.crm.schemas import (
    ContactCreateIn,
    ContactMergeIn,
    ContactOut,
    ContactPage,
    ContactUpdateIn,
    IdentityIn,
    IdentityOut,
    OrganizationIn,
    OrganizationOut,
    OrganizationPage,
    OrganizationUpdateIn,
)

router = Router()


def _viewer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _organization(org_id: int | None) -> Organization | None:
    if org_id is None:
        return None
    org = Organization.objects.filter(pk=org_id).first()
    if org is None:
        raise DomainError(_("Unknown organization."), field="organization_id")
    return org


@router.get("/contacts", response=ContactPage, tags=["contacts"], summary="List or search contacts")
def list_contacts(
    request: HttpRequest,
    q: str = "",
    organization_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, object]:
    qs = selectors.contact_list(viewer=_viewer(request), q=q[:200], organization_id=organization_id)
    items, next_cursor = keyset_page(qs, order="id", cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.post("/contacts", response={201: ContactOut}, tags=["contacts"], summary="Create a contact")
def create_contact(request: HttpRequest, payload: ContactCreateIn) -> Status[object]:
    contact = services.contact_create(
        name=payload.name,
        identities=[(i.kind, i.value) for i in payload.identities],
        organization=_organization(payload.organization_id),
        language=payload.language,
        time_zone=payload.time_zone,
        notes=payload.notes,
        custom_fields=payload.custom_fields,
    )
    return Status(201, selectors.contact_get(viewer=_viewer(request), contact_id=contact.pk))


@router.get(
    "/contacts/{int:contact_id}", response=ContactOut, tags=["contacts"], summary="Read a contact"
)
def get_contact(request: HttpRequest, contact_id: int) -> object:
    return selectors.contact_get(viewer=_viewer(request), contact_id=contact_id)


@router.patch(
    "/contacts/{int:contact_id}", response=ContactOut, tags=["contacts"], summary="Change a contact"
)
def update_contact(request: HttpRequest, contact_id: int, payload: ContactUpdateIn) -> object:
    viewer = _viewer(request)
    contact = selectors.contact_get(viewer=viewer, contact_id=contact_id)
    changes: dict[str, object] = {}
    for name in ("name", "language", "time_zone", "notes", "custom_fields"):
        if name in payload.model_fields_set:
            value = getattr(payload, name)
            if value is None:
                raise DomainError(_("This field cannot be null."), field=name)
            changes[name] = value
    if "organization_id" in payload.model_fields_set:
        changes["organization"] = _organization(payload.organization_id)
    services.contact_update(contact=contact, **changes)
    return selectors.contact_get(viewer=viewer, contact_id=contact_id)


@router.post(
    "/contacts/{int:contact_id}/identities",
    response={201: IdentityOut},
    tags=["contacts"],
    summary="Add an email, phone or handle to a contact",
)
def add_identity(request: HttpRequest, contact_id: int, payload: IdentityIn) -> Status[object]:
    contact = selectors.contact_get(viewer=_viewer(request), contact_id=contact_id)
    return Status(
        201, services.identity_add(contact=contact, kind=payload.kind, value=payload.value)
    )


@router.delete(
    "/contacts/{int:contact_id}/identities/{int:identity_id}",
    response={204: None},
    tags=["contacts"],
    summary="Remove an identity",
)
def remove_identity(request: HttpRequest, contact_id: int, identity_id: int) -> Status[None]:
    contact = selectors.contact_get(viewer=_viewer(request), contact_id=contact_id)
    identity = ContactIdentity.objects.filter(pk=identity_id, contact=contact).first()
    if identity is None:
        raise DomainError(_("Unknown identity."), field="identity_id", code="not_found")
    services.identity_remove(identity=identity)
    return Status(204, None)


@router.post(
    "/contacts/{int:contact_id}/merge",
    response=ContactOut,
    tags=["contacts"],
    summary="Merge this contact into another",
)
def merge_contact(request: HttpRequest, contact_id: int, payload: ContactMergeIn) -> object:
    viewer = _viewer(request)
    source = selectors.contact_get(viewer=viewer, contact_id=contact_id)
    target = selectors.contact_get(viewer=viewer, contact_id=payload.target_id)
    services.contact_merge(source=source, target=target, actor=viewer)
    return selectors.contact_get(viewer=viewer, contact_id=target.pk)


@router.get(
    "/organizations",
    response=OrganizationPage,
    tags=["organizations"],
    summary="List organizations",
)
def list_organizations(
    request: HttpRequest, q: str = "", cursor: str | None = None, limit: int = 50
) -> dict[str, object]:
    qs = selectors.organization_list(viewer=_viewer(request), q=q[:200])
    items, next_cursor = keyset_page(qs, order="id", cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.post(
    "/organizations",
    response={201: OrganizationOut},
    tags=["organizations"],
    summary="Create an organization",
)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[object]:
    organization = services.organization_create(
        name=payload.name,
        domains=payload.domains,
        notes=payload.notes,
        custom_fields=payload.custom_fields,
        shares_tickets=payload.shares_tickets,
    )
    return Status(201, organization)


@router.get(
    "/organizations/{int:organization_id}",
    response=OrganizationOut,
    tags=["organizations"],
    summary="Read an organization",
)
def get_organization(request: HttpRequest, organization_id: int) -> object:
    return selectors.organization_get(viewer=_viewer(request), organization_id=organization_id)


@router.patch(
    "/organizations/{int:organization_id}",
    response=OrganizationOut,
    tags=["organizations"],
    summary="Change an organization",
)
def update_organization(
    request: HttpRequest, organization_id: int, payload: OrganizationUpdateIn
) -> object:
    org = selectors.organization_get(viewer=_viewer(request), organization_id=organization_id)
    changes = {}
    for name in payload.model_fields_set:
        value = getattr(payload, name)
        if value is None:
            raise DomainError(_("This field cannot be null."), field=name)
        changes[name] = value
    return services.organization_update(organization=org, **changes)
