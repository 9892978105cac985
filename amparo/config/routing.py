"""Websocket routes of every app."""

from django.urls import path

from amparo.core.consumers import AgentEventsConsumer

websocket_urlpatterns = [
    path("ws/agent/", AgentEventsConsumer.as_asgi()),
]
