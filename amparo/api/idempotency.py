"""Idempotency-Key support for every POST under /api/.

The first request with a key runs and its response is stored; a repeat with the same key
and the same body gets that stored response (header ``Idempotent-Replayed: true``); the same
key with another body, method or path is refused with 422; a repeat while the first is still
running gets 409. Server errors are not stored, so the client may retry them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from amparo.api.models import IdempotencyKey

HEADER = "HTTP_IDEMPOTENCY_KEY"
NOT_STORED = {401, 403, 429}


def _problem(status: int, title: str, detail: str) -> HttpResponse:
    body = {
        "type": "about:blank#idempotency",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [{"field": "Idempotency-Key", "message": detail, "type": "idempotency"}],
    }
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not key or len(key) > 255:
            return _problem(400, "Bad request", "Idempotency-Key must have 1 to 255 characters.")
        credentials = request.META.get("HTTP_AUTHORIZATION", "") or request.COOKIES.get(
            "sessionid", ""
        )
        owner = hashlib.sha256(credentials.encode()).hexdigest()
        try:
            body = request.body
        except Exception:
            # Too large or unreadable: let the view report it without storing anything.
            return self.get_response(request)
        request_hash = hashlib.sha256(
            request.method.encode() + b" " + request.path.encode() + b"\n" + body
        ).hexdigest()
        existing = IdempotencyKey.objects.filter(owner=owner, key=key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    existing = IdempotencyKey.objects.create(
                        owner=owner,
                        key=key,
                        method=request.method,
                        path=request.path[:500],
                        request_hash=request_hash,
                    )
            except IntegrityError:
                existing = IdempotencyKey.objects.filter(owner=owner, key=key).first()
            else:
                return self._run_and_store(request, existing)
        if existing is None:
            return _problem(409, "Conflict", "A request with this Idempotency-Key is in progress.")
        if existing.request_hash != request_hash:
            return _problem(
                422,
                "Invalid input",
                "This Idempotency-Key was already used with a different request.",
            )
        if existing.status_code is None:
            return _problem(409, "Conflict", "A request with this Idempotency-Key is in progress.")
        response = HttpResponse(
            bytes(existing.body), status=existing.status_code, content_type=existing.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response

    def _run_and_store(self, request: HttpRequest, record: IdempotencyKey) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyKey.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500 or response.status_code in NOT_STORED or response.streaming:
            IdempotencyKey.objects.filter(pk=record.pk).delete()
            return response
        IdempotencyKey.objects.filter(pk=record.pk).update(
            status_code=response.status_code,
            content_type=response.get("Content-Type", "application/json")[:100],
            body=response.content,
        )
        return response
