from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "amparo.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from amparo.core.health import register_health_check
        from amparo.jobs.selectors import jobs_health

        register_health_check("jobs", jobs_health)
