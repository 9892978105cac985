"""The shared layout, access decorators and branding stylesheet."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"].endswith("?next=%2Fdesk%2F")


def test_customer_gets_404(client):
    from amparo.accounts.models import Role, User

    customer = User.objects.create_user("c@example.org", "x", name="Cli", role=Role.CUSTOMER)
    client.force_login(customer)
    assert client.get("/desk/").status_code == 404


def test_agent_sees_layout_with_assets_and_no_inline_code(client, agent_a):
    client.force_login(agent_a)
    response = client.get("/desk/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/amparo/app.css" in html
    assert "/static/amparo/vendor/htmx.min.js" in html
    assert "/branding.css" in html
    assert 'href="#main"' in html
    assert "<script>" not in html
    assert " style=" not in html
    assert "/manage/" not in html  # plain agents do not see supervisor pages


def test_branding_css_uses_site_colours_and_rejects_injection(client):
    from amparo.core.models import SiteSettings

    SiteSettings.objects.create(company_name="Acme", primary_color="#123456", accent_color="red}")
    css = client.get("/branding.css").content.decode()
    assert "--brand-primary: #123456" in css
    assert "red}" not in css


def test_home_sends_agents_to_the_desk_and_others_to_the_portal(client, agent_a):
    assert client.get("/")["Location"] == "/portal/"
    client.force_login(agent_a)
    assert client.get("/")["Location"] == "/desk/"
