"""Errors that services raise and every edge (API, views, consumers) turns into a clear 4xx."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a business rule. ``field`` names the input at fault, if one is."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DomainError):
    """Raised for objects that do not exist *and* for objects the caller may not see."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
