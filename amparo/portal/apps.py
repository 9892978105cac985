from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "amparo.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self) -> None:
        from amparo.portal import notify

        notify.register()
