"""Fixtures for the email channel: mailboxes, and running the jobs the services stored."""

from __future__ import annotations

import pytest


@pytest.fixture
def mailbox(team_a):  # type: ignore[no-untyped-def]
    from amparo.inbox.services import mailbox_create

    return mailbox_create(
        name="Suporte",
        address="suporte@amparo.test",
        team=team_a,
        is_default=True,
        smtp_host="127.0.0.1",
        smtp_port=1,
        smtp_security="none",
    )


@pytest.fixture
def run_jobs():  # type: ignore[no-untyped-def]
    """Runs the stored jobs of the mail queue in order, like a worker would (retries included)."""
    from django_tasks_db.models import DBTaskResult

    def run(queue: str = "mail") -> list[object]:
        results = []
        for row in DBTaskResult.objects.filter(queue_name=queue, status="READY").order_by(
            "enqueued_at"
        ):
            args = row.args_kwargs
            try:
                results.append(row.task.call(*args["args"], **args["kwargs"]))
            except Exception as exc:
                results.append(exc)
            row.delete()
        return results

    return run


@pytest.fixture
def amparo_env():  # type: ignore[no-untyped-def]
    """Environment for an ``amparo`` subprocess that uses this test's (committed) database."""
    import os

    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    # The same data directory and secret key as this process, however pytest was started:
    # mailbox passwords are encrypted with a key derived from the secret key.
    env["AMPARO_DATA_DIR"] = str(settings.DATA_DIR)
    env["AMPARO_SECRET_KEY"] = settings.SECRET_KEY
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


@pytest.fixture(scope="session")
def dovecot():  # type: ignore[no-untyped-def]
    from .dovecot import Dovecot

    server = Dovecot()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def imap_mailbox(dovecot, team_a):  # type: ignore[no-untyped-def]
    """A mailbox on the test Dovecot with its own fresh IMAP user."""
    from amparo.inbox.services import mailbox_create

    user = dovecot.new_user()
    return mailbox_create(
        name="Suporte",
        address="suporte@amparo.test",
        team=team_a,
        is_default=True,
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_security="none",
        imap_username=user,
        imap_password="s3cret-imap",
    )


@pytest.fixture
def imap_client(dovecot, imap_mailbox):  # type: ignore[no-untyped-def]
    """A second IMAP connection, as the customer's mail server delivering into the mailbox."""
    from imapclient import IMAPClient

    client = IMAPClient(dovecot.host, port=dovecot.port, ssl=False)
    client.login(imap_mailbox.imap_username, "s3cret-imap")
    yield client
    client.logout()


class _Collector:
    def __init__(self) -> None:
        self.messages: list[dict[str, object]] = []
        self.reject: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(
            {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.content}
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():  # type: ignore[no-untyped-def]
    """A real SMTP server (aiosmtpd) in this process, collecting what it receives."""
    from aiosmtpd.controller import Controller

    from .dovecot import free_port

    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    collector.port = controller.port  # type: ignore[attr-defined]
    yield collector
    controller.stop()


@pytest.fixture
def smtp_mailbox(mailbox, smtp_server):  # type: ignore[no-untyped-def]
    from amparo.inbox.services import mailbox_update

    return mailbox_update(
        mailbox=mailbox, smtp_host="127.0.0.1", smtp_port=smtp_server.port, smtp_security="none"
    )
