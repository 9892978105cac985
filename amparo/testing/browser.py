"""Browser-test fixtures (pytest plugin): a live ASGI server and headless Debian Chromium.

The server is uvicorn running ``amparo.config.asgi:application`` (HTTP and websockets) in a
thread of the test process on a free 127.0.0.1 port, so it reads the test database; browser
tests therefore use ``transactional_db`` (the ``live_url`` fixture requests it). Chromium is
the Debian package at /usr/bin/chromium; never ``playwright install``.

Fixtures: ``live_url``, ``browser``, ``page``, ``new_page`` (another, isolated browser context,
e.g. a second agent), ``login_agent(page, user)``, ``screenshot(page, name)`` (PNG in
test-artifacts/screenshots/) and ``axe_check(page)`` (vendored axe-core; fails on serious or
critical violations, and on Content-Security-Policy violations logged by the page).
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}


class LiveServer:
    """uvicorn serving the ASGI application in a daemon thread with its own event loop."""

    def __init__(self) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(
            "amparo.config.asgi:application",
            lifespan="off",
            log_level="warning",
            ws="websockets-sansio",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, name="live-asgi", daemon=True)
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self.loop = loop
        try:
            loop.run_until_complete(self.server.serve(sockets=[self.sock]))
        finally:
            loop.close()

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the live ASGI server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="session")
def _live_server(django_db_setup: Any, django_db_blocker: Any) -> Iterator[LiveServer]:
    from django.db import connections

    # Request threads of the server must not keep connections open past their request, or the
    # test database could not be dropped at the end of the session (PostgreSQL).
    db_settings = connections["default"].settings_dict
    previous_max_age = db_settings.get("CONN_MAX_AGE", 0)
    db_settings["CONN_MAX_AGE"] = 0
    with django_db_blocker.unblock():
        server = LiveServer()
        server.start()
        try:
            yield server
        finally:
            server.stop()
            db_settings["CONN_MAX_AGE"] = previous_max_age


@pytest.fixture
def live_url(_live_server: LiveServer, transactional_db: None, settings: Any) -> Iterator[str]:
    from amparo.core import realtime

    host = "127.0.0.1"
    settings.ALLOWED_HOSTS = [host, "localhost"]
    settings.CSRF_TRUSTED_ORIGINS = [_live_server.url]
    # WhiteNoise hands Django's ASGI handler a synchronous file iterator; Django serves it
    # and warns. Harmless, but "warnings are errors" would break the server thread.
    warnings.filterwarnings(
        "ignore", message="StreamingHttpResponse must consume synchronous iterators"
    )
    # Services called from the test thread publish through the server's loop, as the worker
    # thread does in the embedded mode, so the server's channel layer sees their events.
    realtime.register_web_loop(_live_server.loop)
    try:
        yield _live_server.url
    finally:
        realtime._web_loop = None


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """One Chromium per test. Playwright's sync API leaves an event loop marked as running in
    this thread while it is open, which would break later async_to_sync callers (websocket
    tests) if it outlived the test; Django's ORM would refuse to run beside it, hence the flag."""
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The machine is shared and often busy: give assertions the same patience as actions.
    expect.set_options(timeout=10_000)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _watch_console(page: Any) -> None:
    page.csp_violations = []
    page.console_errors = []

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            where = msg.location or {}
            text = f"{msg.text} [{where.get('url', '')}:{where.get('lineNumber', '')}]"
            page.console_errors.append(text)
            if "Content Security Policy" in msg.text:
                page.csp_violations.append(text)

    page.on("console", on_console)


@pytest.fixture
def new_page(browser: Any, live_url: str) -> Iterator[Callable[..., Any]]:
    """Opens a page in a fresh browser context (its own cookies): one per simulated person."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", {"width": 1366, "height": 900})
        options.setdefault("locale", "en-US")
        context = browser.new_context(base_url=live_url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        _watch_console(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture
def login_agent(live_url: str) -> Callable[..., None]:
    """Signs ``user`` in on ``page`` through the real sign-in form (/account/login/).

    ``password`` defaults to the factories' password. ``via="session"`` skips the form and
    sets a Django session cookie instead, for users whose sign-in needs a second factor.
    """
    from django.conf import settings
    from django.test import Client

    from amparo.testing.factories import PASSWORD

    def login(page: Any, user: Any, password: str = PASSWORD, via: str = "form") -> None:
        if via == "session":
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            page.context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookie.value,
                        "url": live_url,
                        "httpOnly": True,
                        "sameSite": "Lax",
                    }
                ]
            )
            return
        page.goto(f"{live_url}/account/login/")
        page.locator("input[name=email]").fill(user.email)
        page.locator("input[name=password]").fill(password)
        page.locator("form[action='/account/login/'] button[type=submit]").click()
        page.wait_for_url(lambda url: "/account/login/" not in url)

    return login


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    def take(page: Any, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_check() -> Callable[..., list[dict[str, Any]]]:
    source = AXE_JS.read_text(encoding="utf-8")

    def check(page: Any, *, context: str | None = None) -> list[dict[str, Any]]:
        # Evaluated through the DevTools protocol, which the page's CSP does not govern;
        # a <script> tag would be (rightly) refused by script-src 'self'.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        results = page.evaluate(
            "async (ctx) => await window.axe.run(ctx || document, {resultTypes: ['violations']})",
            context,
        )
        blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} → "
            + ", ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in blocking
        )
        assert not blocking, f"accessibility violations on {page.url}:\n{details}"
        csp = getattr(page, "csp_violations", [])
        assert not csp, f"Content-Security-Policy violations on {page.url}: {csp}"
        return list(results["violations"])

    return check
