import pytest


@pytest.fixture(autouse=True)
def _english_by_default(settings):  # type: ignore[no-untyped-def]
    # Assertions read English text; the tests about pt-BR ask for it explicitly.
    settings.LANGUAGE_CODE = "en"
