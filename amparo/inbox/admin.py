"""Admin pages: mailboxes (secrets write-only), quarantine (download, reprocess), mail log."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.inbox.models import AckTemplate, BlockedSender, Mailbox, MailMessage, QuarantinedMail
from amparo.inbox.services import mailbox_create, mailbox_update


class MailboxForm(forms.ModelForm):
    imap_password = forms.CharField(
        label=gettext_lazy("IMAP password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Stored encrypted. Leave empty to keep the current one."),
    )
    smtp_password = forms.CharField(
        label=gettext_lazy("SMTP password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Stored encrypted. Leave empty to keep the current one."),
    )
    dkim_private_key = forms.CharField(
        label=gettext_lazy("DKIM private key (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Stored encrypted. Leave empty to keep the current one."),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "address",
            "from_name",
            "team",
            "is_active",
            "is_default",
            "auto_acknowledge",
            "imap_host",
            "imap_port",
            "imap_security",
            "imap_username",
            "imap_folder",
            "after_fetch",
            "processed_folder",
            "use_idle",
            "smtp_host",
            "smtp_port",
            "smtp_security",
            "smtp_username",
            "dkim_domain",
            "dkim_selector",
        ]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["name", "address", "team", "is_active", "is_default", "last_fetch_at"]
    readonly_fields = ["last_uid", "last_fetch_at", "last_error"]

    def save_model(self, request: HttpRequest, obj: Mailbox, form: Any, change: bool) -> None:
        fields = {k: v for k, v in form.cleaned_data.items() if k not in {"name", "address"}}
        if change:
            mailbox_update(mailbox=obj, **fields)
        else:
            created = mailbox_create(name=obj.name, address=obj.address, **fields)
            obj.pk = created.pk


def _download(items: QuerySet[Any], prefix: str) -> FileResponse:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            if item.raw:
                with item.raw.open("rb") as handle:
                    archive.writestr(f"{prefix}-{item.pk}.eml", handle.read())
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{prefix}.zip")


@admin.register(QuarantinedMail)
class QuarantinedMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "sender", "subject", "mailbox", "released_at"]
    list_filter = ["reason", "source", ("released_at", admin.EmptyFieldListFilter)]
    search_fields = ["sender", "subject", "message_id"]
    readonly_fields = [f.name for f in QuarantinedMail._meta.fields]
    actions = ["download_eml", "reprocess"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Download the original mail (.eml)"))
    def download_eml(
        self, request: HttpRequest, queryset: QuerySet[QuarantinedMail]
    ) -> FileResponse:
        return _download(queryset, "quarantine")

    @admin.action(description=gettext_lazy("Reprocess (create the ticket or message)"))
    def reprocess(self, request: HttpRequest, queryset: QuerySet[QuarantinedMail]) -> None:
        from amparo.inbox.email.quarantine import quarantine_reprocess

        for item in queryset:
            result = quarantine_reprocess(item=item)
            self.message_user(
                request,
                _("%(subject)s: %(result)s")
                % {"subject": item.subject or item.pk, "result": result},
                messages.INFO,
            )


@admin.register(MailMessage)
class MailMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "direction", "kind", "from_address", "subject", "ticket_id"]
    list_filter = ["direction", "kind", "source"]
    search_fields = ["message_id", "from_address", "subject"]
    readonly_fields = [f.name for f in MailMessage._meta.fields]
    actions = ["download_eml"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Download the original mail (.eml)"))
    def download_eml(self, request: HttpRequest, queryset: QuerySet[MailMessage]) -> FileResponse:
        return _download(queryset, "mail")


admin.site.register(BlockedSender)
admin.site.register(AckTemplate)
