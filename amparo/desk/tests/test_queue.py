"""Queue pages: built-in and saved views, filters, counts, pages, and what each agent sees."""

from __future__ import annotations

import pytest

from amparo.accounts.selectors import team_ids_for
from amparo.api.pagination import key_queries
from amparo.core.actors import Actor
from amparo.desk.filters import BUILTIN_BY_KEY
from amparo.desk.models import SavedView
from amparo.testing.factories import make_ticket
from amparo.tickets.models import Status, Ticket
from amparo.tickets.services import ticket_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, agent_a):
    agent_a.language = "en"  # assertions read the English texts
    agent_a.save(update_fields=["language"])
    client.force_login(agent_a)
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_my_queue_lists_my_tickets_and_not_other_teams(desk, agent_a, team_a, team_b, contact):
    mine = make_ticket(contact=contact, team=team_a, assignee=agent_a, subject="Meu chamado")
    make_ticket(contact=contact, team=team_a, subject="Da equipe sem dono")
    make_ticket(contact=contact, team=team_b, subject="Segredo do financeiro")
    html = _page(desk, "/desk/")
    assert "Meu chamado" in html
    assert f'data-ticket-id="{mine.pk}"' in html
    assert "Da equipe sem dono" not in html
    assert "Segredo do financeiro" not in html
    all_open = _page(desk, "/desk/?view=open")
    assert "Da equipe sem dono" in all_open
    assert "Segredo do financeiro" not in all_open


def test_builtin_views(desk, agent_a, team_a, contact):
    unassigned = make_ticket(contact=contact, team=team_a, subject="Ninguém pegou")
    pending = make_ticket(contact=contact, team=team_a, subject="Esperando cliente")
    ticket_update(ticket=pending, actor=Actor.of_agent(agent_a), status=Status.PENDING)
    solved = make_ticket(contact=contact, team=team_a, subject="Já resolvido")
    ticket_update(ticket=solved, actor=Actor.of_agent(agent_a), status=Status.SOLVED)
    assert "Ninguém pegou" in _page(desk, "/desk/?view=unassigned")
    assert "Já resolvido" not in _page(desk, "/desk/?view=unassigned")
    pending_html = _page(desk, "/desk/?view=pending")
    assert "Esperando cliente" in pending_html and "Ninguém pegou" not in pending_html
    assert "Já resolvido" in _page(desk, "/desk/?view=solved")
    assert "Ninguém pegou" in _page(desk, "/desk/?view=teams")
    assert unassigned.pk
    assert desk.get("/desk/?view=nope").status_code == 404


def test_counts_are_shown_per_view_and_capped(desk, agent_a, team_a, contact, monkeypatch):
    from amparo.desk import selectors

    for i in range(4):
        make_ticket(contact=contact, team=team_a, subject=f"Chamado {i}")
    html = _page(desk, "/desk/?view=open")
    assert '<span class="view-count">4<' in html
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    html = _page(desk, "/desk/?view=open")
    assert '<span class="view-count">3+<' in html


def test_search_by_number_or_subject(desk, team_a, contact):
    wanted = make_ticket(contact=contact, team=team_a, subject="Boleto vencido")
    make_ticket(contact=contact, team=team_a, subject="Senha esquecida")
    by_number = _page(desk, f"/desk/?view=open&q=%23{wanted.pk}")
    assert "Boleto vencido" in by_number and "Senha esquecida" not in by_number
    by_subject = _page(desk, "/desk/?view=open&q=senha")
    assert "Senha esquecida" in by_subject and "Boleto vencido" not in by_subject


def test_bad_filters_are_reported_and_ignored(desk, team_a, contact):
    make_ticket(contact=contact, team=team_a, subject="Continua aparecendo")
    html = _page(desk, "/desk/?view=open&status=bogus&created_after=ontem")
    assert "Some filters are not valid" in html
    assert "Continua aparecendo" in html


def test_keyset_pages_and_expired_cursor(desk, team_a, contact, monkeypatch):
    from amparo.desk import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    subjects = [f"Pedido {i}" for i in range(5)]
    for subject in subjects:
        make_ticket(contact=contact, team=team_a, subject=subject)
    seen: list[str] = []
    url = "/desk/?view=open"
    for _ in range(3):
        response = desk.get(url)
        html = response.content.decode()
        seen += [s for s in subjects if s in html]
        next_link = response.context["next_cursor"]
        if not next_link:
            break
        url = f"/desk/?view=open&cursor={next_link}"
    assert sorted(seen) == sorted(subjects)
    html = _page(desk, "/desk/?view=open&cursor=garbage")
    assert "That page link has expired" in html


def test_htmx_request_gets_only_the_results(desk, team_a, contact):
    make_ticket(contact=contact, team=team_a, subject="Parcial")
    response = desk.get("/desk/?view=open", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Parcial" in html
    assert "<html" not in html


def test_save_use_and_delete_a_view(desk, agent_a, team_a, contact):
    make_ticket(contact=contact, team=team_a, subject="Urgente mesmo", priority=4)
    make_ticket(contact=contact, team=team_a, subject="Pode esperar", priority=1)
    response = desk.post(
        "/desk/views/save/", {"name": "Urgentes", "query": "view=open&priority=4&sort=-created_at"}
    )
    view = SavedView.objects.get(owner=agent_a)
    assert response["Location"] == f"/desk/views/{view.pk}/"
    assert view.filters == {"priority": [4]}
    assert view.sort == "-created_at"
    html = _page(desk, f"/desk/views/{view.pk}/")
    assert "Urgente mesmo" in html and "Pode esperar" not in html
    assert "Urgentes" in _page(desk, "/desk/")
    desk.post(f"/desk/views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_saved_view_errors_change_nothing(desk, agent_a):
    desk.post("/desk/views/save/", {"name": "", "query": "priority=4"})
    desk.post("/desk/views/save/", {"name": "Ruim", "query": "status=bogus"})
    desk.post(
        "/desk/views/save/", {"name": "Compartilhada", "query": "priority=4", "is_shared": "1"}
    )
    assert not SavedView.objects.exists()  # agents may not share; bad filters are refused


def test_private_views_of_others_are_404(client, agent_a, agent_b):
    view = SavedView.objects.create(owner=agent_b, name="Do Bruno", filters={})
    shared = SavedView.objects.create(owner=agent_b, name="De todos", filters={}, is_shared=True)
    client.force_login(agent_a)
    assert client.get(f"/desk/views/{view.pk}/").status_code == 404
    assert client.post(f"/desk/views/{view.pk}/delete/").status_code == 404
    assert client.get(f"/desk/views/{shared.pk}/").status_code == 200
    assert client.post(f"/desk/views/{shared.pk}/delete/").status_code == 404
    assert SavedView.objects.count() == 2


@pytest.mark.parametrize("rows", [3, 30])
def test_queue_query_count_does_not_grow_with_rows(
    client, agent_a, team_a, contact, rows, django_assert_max_num_queries
):
    from amparo.desk import selectors
    from amparo.tickets.services import ticket_set_tags

    for i in range(rows):
        t = make_ticket(contact=contact, team=team_a, assignee=agent_a, subject=f"T{i}")
        ticket_set_tags(ticket=t, actor=Actor.of_agent(agent_a), add=["vip", f"t{i % 3}"])
        if i % 2:
            ticket_update(ticket=t, actor=Actor.of_agent(agent_a), status=Status.PENDING)
    SavedView.objects.create(owner=agent_a, name="Minha", filters={"priority": [2]})
    client.force_login(agent_a)
    client.get("/desk/")  # warm the session
    with django_assert_max_num_queries(QUEUE_QUERIES) as captured:
        response = client.get("/desk/")
    assert response.status_code == 200
    assert len(captured.captured_queries) == QUEUE_QUERIES
    # Any open-status queue, first or deeper page (by cursor), costs the same.
    team_ids_for(agent_a)  # as in a request, the agent's teams are read once, before the page
    for view in ("mine", "teams", "open", "unassigned"):
        spec = BUILTIN_BY_KEY[view].build(agent_a)
        cursor = response.context["next_cursor"] if view == "mine" else None
        with django_assert_max_num_queries(PAGE_QUERIES) as captured:
            page, _ = selectors.queue_page(agent=agent_a, specs=[spec], cursor=cursor, limit=2)
        # An empty page ("unassigned" here) stops after the keys.
        assert len(captured.captured_queries) == (PAGE_QUERIES if page else key_queries(4)), view


# Session, user, teams of the agent, branding, team list, agent list (+ their teams), saved
# views, six built-in counts, one saved-view count, and the page: the keys of the four open
# statuses (one query each, or one UNION on PostgreSQL), the rows, their tags.
PAGE_QUERIES = key_queries(4) + 1 + 1
QUEUE_QUERIES = 15 + PAGE_QUERIES


def test_open_statuses_are_merged_in_updated_order(agent_a, team_a, contact):
    """One query per status, one list: newest activity first across statuses, ties by id."""
    from amparo.desk import selectors

    made = []
    for i, status in enumerate([Status.PENDING, Status.NEW, Status.ON_HOLD, Status.OPEN] * 3):
        t = make_ticket(contact=contact, team=team_a, subject=f"M{i}")
        if status != Status.NEW:
            ticket_update(ticket=t, actor=Actor.of_agent(agent_a), status=status)
        made.append(t)
    Ticket.objects.filter(pk__in=[t.pk for t in made[:4]]).update(updated_at=made[0].updated_at)
    want = list(
        Ticket.objects.filter(pk__in=[t.pk for t in made])
        .order_by("-updated_at", "-id")
        .values_list("pk", flat=True)
    )
    spec = BUILTIN_BY_KEY["open"].build(agent_a)
    seen, cursor = [], None
    while True:
        page, cursor = selectors.queue_page(agent=agent_a, specs=[spec], cursor=cursor, limit=5)
        seen += [t.pk for t in page]
        if not cursor:
            break
    assert seen == want


def test_admin_sees_every_team_and_supervisor_shares_views(
    client, admin_agent, agent_a, team_a, team_b, contact
):
    from amparo.accounts.models import Role
    from amparo.testing.factories import AgentFactory

    make_ticket(contact=contact, team=team_b, subject="Do financeiro")
    client.force_login(admin_agent)
    assert "Do financeiro" in _page(client, "/desk/?view=open")
    supervisor = AgentFactory(
        email="sara@example.com", name="Sara", role=Role.SUPERVISOR, teams=[team_a]
    )
    client.force_login(supervisor)
    assert "/manage/" in _page(client, "/desk/")
    client.post(
        "/desk/views/save/", {"name": "Urgentes da casa", "query": "priority=4", "is_shared": "1"}
    )
    shared = SavedView.objects.get(is_shared=True)
    client.force_login(agent_a)
    assert "Urgentes da casa" in _page(client, "/desk/")
    assert client.get(f"/desk/views/{shared.pk}/").status_code == 200
