"""Downloads under ASGI stream a chunk at a time instead of being read whole into memory."""

from __future__ import annotations

import warnings

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient, Client

from amparo.testing.factories import make_ticket
from amparo.tickets.services import NewAttachment

pytestmark = pytest.mark.django_db(transaction=True)

BIG = bytes(range(256)) * 4096 * 3  # 3 MiB: many chunks


@pytest.fixture
def attachment_url(contact, agent_a, team_a):
    ticket = make_ticket(
        contact=contact, team=team_a, attachments=[NewAttachment(filename="log.bin", data=BIG)]
    )
    return f"/attachments/{ticket.attachments.get().pk}/"


def test_attachment_streams_in_chunks_under_asgi(attachment_url, agent_a):
    async def download():
        client = AsyncClient()
        await sync_to_async(client.force_login)(agent_a)
        response = await client.get(attachment_url)
        return response, [chunk async for chunk in response.streaming_content]

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django warns when it must buffer a sync iterator
        response, chunks = async_to_sync(download)()
    assert response.status_code == 200
    assert response.is_async
    assert len(chunks) > 1
    assert b"".join(chunks) == BIG
    assert response["Content-Disposition"].startswith("attachment;")


def test_wsgi_responses_are_left_alone(attachment_url, agent_a):
    client = Client()
    client.force_login(agent_a)
    response = client.get(attachment_url)
    assert not response.is_async
    assert b"".join(response.streaming_content) == BIG
