"""Macros, tags, custom fields and branding through the management pages."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from amparo.accounts.models import Role
from amparo.backoffice import services
from amparo.core.errors import Forbidden
from amparo.core.models import CustomFieldDefinition, SiteSettings
from amparo.testing.factories import AgentFactory
from amparo.tickets.models import Macro, Tag

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


@pytest.fixture
def sup_client(client: Client, db) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(AgentFactory(email="sonia@example.com", role=Role.SUPERVISOR))
    return client


def test_macro_with_actions(sup_client: Client, team_a, team_b) -> None:  # type: ignore[no-untyped-def]
    response = sup_client.post(
        "/manage/macros/new/",
        {
            "name": "Aguardando cliente",
            "body": "Olá {{ customer.first_name }}, aguardamos seu retorno.",
            "team": team_a.pk,
            "status": "pending",
            "priority": "3",
            "assign_team": team_b.pk,
            "add_tags": "Aguardando, retorno , aguardando",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    macro = Macro.objects.get()
    assert macro.team == team_a
    assert macro.actions == {
        "status": "pending",
        "priority": 3,
        "team_id": team_b.pk,
        "add_tags": ["aguardando", "retorno"],
    }
    page = sup_client.get(f"/manage/macros/{macro.pk}/").content.decode()
    assert 'value="aguardando, retorno"' in page


def test_macro_bad_input_changes_nothing(sup_client: Client) -> None:
    response = sup_client.post(
        "/manage/macros/new/", {"name": "Vazia", "body": "", "status": "", "priority": ""}
    )
    assert response.status_code == 400
    assert "A macro needs a reply text or at least one change." in response.content.decode()
    response = sup_client.post("/manage/macros/new/", {"name": "X", "body": "y", "status": "bogus"})
    assert response.status_code == 400
    assert not Macro.objects.exists()


def test_tag_create_rename_colour_delete(sup_client: Client) -> None:
    assert (
        sup_client.post("/manage/tags/", {"name": "Cliente VIP", "color": "#AA0000"}).status_code
        == 302
    )
    tag = Tag.objects.get()
    assert (tag.name, tag.color) == ("cliente-vip", "#aa0000")
    assert (
        sup_client.post(f"/manage/tags/{tag.pk}/", {"name": "vip", "color": "#00aa00"}).status_code
        == 302
    )
    tag.refresh_from_db()
    assert (tag.name, tag.color) == ("vip", "#00aa00")
    assert sup_client.post(f"/manage/tags/{tag.pk}/delete/").status_code == 302
    assert not Tag.objects.exists()


def test_tag_bad_colour_and_duplicate(sup_client: Client) -> None:
    response = sup_client.post("/manage/tags/", {"name": "vip", "color": "red"})
    assert response.status_code == 400
    assert "Enter a colour as #rrggbb" in response.content.decode()
    Tag.objects.create(name="vip")
    response = sup_client.post("/manage/tags/", {"name": "VIP", "color": "#112233"})
    assert response.status_code == 400
    assert Tag.objects.count() == 1


def test_custom_field_choice(sup_client: Client) -> None:
    response = sup_client.post(
        "/manage/fields/new/",
        {
            "target": "ticket",
            "key": "plano",
            "label": "Plano",
            "field_type": "choice",
            "choices": "Básico\nPro\n\nPro",
            "required": "on",
            "position": "1",
        },
    )
    assert response.status_code == 302
    field = CustomFieldDefinition.objects.get()
    assert field.choices == ["Básico", "Pro"] and field.required and not field.visible_to_customers
    response = sup_client.post(
        f"/manage/fields/{field.pk}/",
        {
            "label": "Plano contratado",
            "choices": "Básico\nPro\nEnterprise",
            "visible_to_customers": "on",
            "position": "2",
        },
    )
    assert response.status_code == 302
    field.refresh_from_db()
    assert field.label == "Plano contratado" and field.visible_to_customers and not field.required
    assert len(field.choices) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "Bad Key"}, "The key starts with a letter"),
        ({"field_type": "choice", "choices": ""}, "List at least one option"),
        ({"field_type": "colour"}, "Select a valid choice"),
    ],
)
def test_custom_field_bad_input(sup_client: Client, data, message) -> None:  # type: ignore[no-untyped-def]
    base = {
        "target": "contact",
        "key": "cpf",
        "label": "CPF",
        "field_type": "text",
        "position": "0",
    }
    response = sup_client.post("/manage/fields/new/", {**base, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CustomFieldDefinition.objects.exists()


def test_branding_with_logo(sup_client: Client) -> None:
    logo = io.BytesIO(PNG)
    logo.name = "logo.png"
    response = sup_client.post(
        "/manage/branding/",
        {
            "company_name": "Loja Exemplo",
            "primary_color": "#1D4ED8",
            "accent_color": "#f59e0b",
            "support_email": "ajuda@loja.example",
            "logo": logo,
        },
    )
    assert response.status_code == 302
    site = SiteSettings.objects.get()
    assert site.company_name == "Loja Exemplo" and site.primary_color == "#1d4ed8"
    assert site.logo.name.endswith(".png")
    assert "Loja Exemplo" in sup_client.get("/manage/").content.decode()
    # The logo is public (sign-in page, portal) and served as the image it was sniffed to be.
    served = Client().get(site.logo.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    assert Client().get("/media/branding/secret.png").status_code == 404
    assert Client().get("/media/attachments/ab/abcdef").status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "color", "message"),
    [
        (
            "logo.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "#1d4ed8",
            "must be a PNG",
        ),
        ("logo.png", PNG + b"\0" * 600_000, "#1d4ed8", "larger than"),
        (None, None, "#fde68a", "too light"),
        (None, None, "blue", "Enter a colour as #rrggbb"),
    ],
)
def test_branding_bad_input_changes_nothing(sup_client: Client, name, data, color, message) -> None:  # type: ignore[no-untyped-def]
    payload = {"company_name": "Outra", "primary_color": color, "accent_color": "#f59e0b"}
    if data is not None:
        upload = io.BytesIO(data)
        upload.name = name
        payload["logo"] = upload
    response = sup_client.post("/manage/branding/", payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SiteSettings.objects.exists()


def test_agent_cannot_call_catalogue_services(agent_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        services.tag_save(actor=agent_a, name="x", color="#000000")
    with pytest.raises(Forbidden):
        services.branding_update(
            actor=agent_a, company_name="Hacked", primary_color="#000000", accent_color="#000000"
        )
    assert not Tag.objects.exists() and not SiteSettings.objects.exists()


def test_unknown_ids_answer_404(sup_client: Client) -> None:
    for path in ("/manage/macros/999/", "/manage/tags/999/", "/manage/fields/999/"):
        assert sup_client.get(path).status_code == 404
    assert sup_client.post("/manage/tags/999/delete/").status_code == 404
