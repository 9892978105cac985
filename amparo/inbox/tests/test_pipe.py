"""``amparo mail ingest`` as an MTA runs it: one mail on standard input, sysexits codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from amparo.inbox.models import QuarantinedMail
from amparo.tickets.models import Ticket

from .mails import make_mail

pytestmark = pytest.mark.django_db(transaction=True)


def _pipe(env, data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "amparo", "mail", "ingest", *args],
        input=data,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_pipe_creates_a_ticket_and_exits_zero(mailbox, amparo_env):
    mbox_line = b"From maria@example.org  Mon Nov 23 10:00:00 2026\n"
    done = _pipe(
        amparo_env, mbox_line + make_mail(subject="Pelo pipe"), "--mailbox", mailbox.address
    )
    assert done.returncode == 0, done.stderr
    ticket = Ticket.objects.get()
    assert ticket.subject == "Pelo pipe"
    assert ticket.contact.name == "Maria da Silva"


def test_pipe_exit_codes(mailbox, amparo_env):
    assert _pipe(amparo_env, b"").returncode == 66  # EX_NOINPUT
    assert _pipe(amparo_env, make_mail(), "--mailbox", "x@nowhere.test").returncode == 64
    # Quarantined mail is kept: the MTA must not bounce or retry it.
    looped = make_mail(sender="suporte@amparo.test")
    assert _pipe(amparo_env, looped).returncode == 0
    assert QuarantinedMail.objects.count() == 1
    broken_db = {**amparo_env, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/none"}
    assert _pipe(broken_db, make_mail()).returncode == 75  # EX_TEMPFAIL: the MTA retries
