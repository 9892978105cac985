from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "amparo.search"
    label = "search"
    verbose_name = _("Search indexes")

    def ready(self) -> None:
        from amparo.search import schema

        schema.register()
