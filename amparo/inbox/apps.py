from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "amparo.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        # Channels plug into the ticket services and the health report here, once.
        from amparo.inbox.email.channel import EmailChannel

        EmailChannel().register()
