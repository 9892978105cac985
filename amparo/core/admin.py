from django.contrib import admin

from amparo.core.models import CustomFieldDefinition, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ("company_name", "support_email")


@admin.register(CustomFieldDefinition)
class CustomFieldDefinitionAdmin(admin.ModelAdmin):
    list_display = ("target", "key", "label", "field_type", "required", "visible_to_customers")
    list_filter = ("target", "field_type")
