"""The NinjaAPI instance: authentication, problem+json errors, and each app's router."""

from __future__ import annotations

from ninja import NinjaAPI

from amparo.api.auth import AgentSessionAuth, TokenAuth
from amparo.api.errors import install_error_handlers

api = NinjaAPI(
    title="Amparo API",
    version="1.0.0",
    description=(
        "REST API of Amparo. Authenticate with `Authorization: Bearer <token>` (create tokens "
        "in the admin or with `amparo token`). Read-scoped tokens may only use GET. Every POST "
        "accepts an `Idempotency-Key` header: repeating the request with the same key and body "
        "returns the first response; the same key with another body is refused with 422. Errors "
        "are `application/problem+json` (RFC 9457) with an `errors` list naming each bad field. "
        "Lists use cursor pagination: pass `next_cursor` back as `cursor`."
    ),
    auth=[TokenAuth(), AgentSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)


def _mount() -> None:
    from amparo.accounts.api import router as accounts_router
    from amparo.crm.api import router as crm_router
    from amparo.tickets.api import router as tickets_router
    from amparo.tickets.api import tags_router
    from amparo.webhooks.api import router as webhooks_router

    api.add_router("/tickets", tickets_router)
    api.add_router("/tags", tags_router)
    api.add_router("/", crm_router)
    api.add_router("/", accounts_router)
    api.add_router("/webhooks", webhooks_router)


_mount()
