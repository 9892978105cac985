"""Agent pages of the CRM: /contacts/ and /organizations/."""

from __future__ import annotations

from django.urls import path

from amparo.crm.views import contacts, merge, organizations

app_name = "crm"

urlpatterns = [
    path("contacts/", contacts.contact_list, name="contact_list"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:contact_id>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<int:contact_id>/card/", contacts.contact_card, name="contact_card"),
    path("contacts/<int:contact_id>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/tickets/", contacts.contact_tickets, name="contact_tickets"),
    path("contacts/<int:contact_id>/identities/", contacts.identity_add, name="identity_add"),
    path(
        "contacts/<int:contact_id>/identities/<int:identity_id>/remove/",
        contacts.identity_remove,
        name="identity_remove",
    ),
    path("contacts/<int:contact_id>/merge/", merge.contact_merge, name="contact_merge"),
    path("organizations/", organizations.organization_list, name="organization_list"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path(
        "organizations/options/",
        organizations.organization_options,
        name="organization_options",
    ),
    path(
        "organizations/<int:organization_id>/",
        organizations.organization_detail,
        name="organization_detail",
    ),
    path(
        "organizations/<int:organization_id>/card/",
        organizations.organization_card,
        name="organization_card",
    ),
    path(
        "organizations/<int:organization_id>/edit/",
        organizations.organization_edit,
        name="organization_edit",
    ),
    path(
        "organizations/<int:organization_id>/tickets/",
        organizations.organization_tickets,
        name="organization_tickets",
    ),
]
