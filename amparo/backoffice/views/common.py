"""Small helpers shared by the management views."""

from __future__ import annotations

from django.http import HttpRequest

from amparo.accounts.models import User


def viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user
