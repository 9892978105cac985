"""Error pages are branded, translated and say what to do next."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Page not found"), ("pt-BR", "Página não encontrada")]
)
def test_unknown_page_is_a_branded_404_in_the_visitors_language(language, text):
    from amparo.core.models import SiteSettings

    SiteSettings.objects.update_or_create(pk=1, defaults={"company_name": "Solar Telecom"})
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert text in page
    assert "Solar Telecom" in page


def test_server_error_page_renders_without_a_request():
    from django.template.loader import get_template

    page = get_template("500.html").render({})
    assert "Algo deu errado" in page and "Something went wrong" in page
