from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "amparo.api"
    label = "api"
