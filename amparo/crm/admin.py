from django.contrib import admin

from amparo.crm.models import Contact, ContactIdentity, Organization


class IdentityInline(admin.TabularInline):
    model = ContactIdentity
    extra = 0
    fields = ("kind", "value", "is_primary", "verified", "bouncing_since")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "organization", "created_at")
    search_fields = ("name", "identities__value")
    raw_id_fields = ("organization", "user", "merged_into")
    inlines = [IdentityInline]
    show_full_result_count = False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "shares_tickets", "created_at")
    search_fields = ("name",)
