"""Inbound mail throughput: messages/s parsed, threaded and stored, from the pipe and from IMAP.

    AMPARO_DATA_DIR=/tmp/amparo-bench-mail [DATABASE_URL=…] \\
        .venv/bin/python bench/mail_ingest.py --count 10000

Migrates the configured database and refuses one that already holds tickets. Generates
--count mixed mails (about 70 % short plain text, 20 % HTML with quoted history, 10 % with a
20–200 KB attachment; a third are replies threaded by In-Reply-To to an earlier mail) and:

1. pipe: runs each through ``ingest()``, as ``amparo mail ingest`` does once per process
   (process start-up is reported separately, from --spawn real ``amparo mail ingest`` runs);
2. imap: APPENDs the same number of new mails to a throwaway Dovecot (not timed) and times
   ``fetch_mailbox`` reading them all (fetch, parse, thread, store, move to the processed
   folder).

Acknowledgement jobs are stored as they would be (that cost is included); nothing is sent.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
os.environ["AMPARO_MAIL_FLOOD_LIMIT"] = "0"  # the generated senders repeat on purpose
django.setup()

from django.core.management import call_command  # noqa: E402

from amparo.inbox.email.imap import fetch_mailbox  # noqa: E402
from amparo.inbox.email.ingest import ingest  # noqa: E402
from amparo.inbox.services import mailbox_create  # noqa: E402
from amparo.tickets.models import Message, Ticket  # noqa: E402

WORDS = [
    "olá",
    "boa",
    "tarde",
    "não",
    "consigo",
    "emitir",
    "nota",
    "fiscal",
    "sistema",
    "erro",
    "pedido",
    "entrega",
    "boleto",
    "pagamento",
    "cadastro",
    "senha",
    "acesso",
    "produto",
    "troca",
    "devolução",
    "prazo",
    "atendimento",
    "obrigado",
    "por",
    "favor",
    "urgente",
    "cliente",
    "número",
    "protocolo",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make(rng: random.Random, n: int, prefix: str, sent: list[str]) -> bytes:
    msg = EmailMessage()
    sender = f"cliente{rng.randrange(2000)}@example.org"
    msg["From"] = f"Cliente {n} <{sender}>"
    msg["To"] = "suporte@amparo.test"
    msg["Subject"] = sentence(rng, 5)
    message_id = f"{prefix}-{n}@bench.example.org"
    msg["Message-ID"] = f"<{message_id}>"
    if sent and rng.random() < 0.33:
        parent = rng.choice(sent)
        msg["In-Reply-To"] = f"<{parent}>"
        msg["References"] = f"<{parent}>"
    kind = rng.random()
    body = "\n\n".join(sentence(rng, rng.randrange(8, 40)) for _ in range(rng.randrange(1, 6)))
    msg.set_content(body)
    if 0.7 <= kind < 0.9:
        quoted = "<blockquote>" + sentence(rng, 60) + "</blockquote>"
        msg.add_alternative(
            f"<p>{body}</p><p>Em seg., Suporte escreveu:</p>{quoted}", subtype="html"
        )
    elif kind >= 0.9:
        size = rng.randrange(20_000, 200_000)
        msg.add_attachment(
            rng.randbytes(size), maintype="application", subtype="pdf", filename=f"doc{n}.pdf"
        )
    sent.append(message_id)
    return msg.as_bytes()


def generate(count: int, prefix: str, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    sent: list[str] = []
    return [make(rng, n, prefix, sent) for n in range(count)]


def bench_pipe(mails: list[bytes]) -> None:
    size = sum(len(m) for m in mails)
    start, cpu = time.perf_counter(), time.process_time()
    outcomes: dict[str, int] = {}
    for raw in mails:
        result = ingest(raw, source="pipe")
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"pipe  : {len(mails)} mails ({size / 1e6:.1f} MB) in {took:.1f} s = "
        f"{len(mails) / took:.0f} mails/s wall, {cpu / len(mails) * 1000:.1f} ms CPU/mail "
        f"({len(mails) / cpu:.0f} mails per CPU-second)  {outcomes}"
    )


def bench_spawn(mails: list[bytes], runs: int) -> None:
    if runs <= 0:
        return
    start = time.perf_counter()
    for raw in mails[:runs]:
        subprocess.run(
            [sys.executable, "-m", "amparo", "mail", "ingest"],
            input=raw,
            check=True,
            capture_output=True,
        )
    took = time.perf_counter() - start
    print(f"spawn : {runs} 'amparo mail ingest' processes, {took / runs * 1000:.0f} ms each")


def bench_imap(mails: list[bytes], mailbox_id: int, client: object) -> None:
    for raw in mails:
        client.append("INBOX", raw)  # type: ignore[attr-defined]
    start, cpu = time.perf_counter(), time.process_time()
    done = fetch_mailbox(mailbox_id)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"imap  : {done} mails fetched in {took:.1f} s = {done / took:.0f} mails/s wall, "
        f"{cpu / done * 1000:.1f} ms CPU/mail in Amparo (Dovecot's own CPU not counted)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--spawn", type=int, default=20)
    parser.add_argument("--skip-imap", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Ticket.objects.exists():
        sys.exit("the database already holds tickets: use an empty AMPARO_DATA_DIR / database")
    from amparo.inbox.tests.dovecot import Dovecot

    dovecot = None if args.skip_imap else Dovecot()
    try:
        user = ""
        if dovecot is not None:
            dovecot.start()
            user = dovecot.new_user()
        mailbox = mailbox_create(
            name="Suporte",
            address="suporte@amparo.test",
            is_default=True,
            imap_host=dovecot.host if dovecot else "",
            imap_port=dovecot.port if dovecot else 993,
            imap_security="none",
            imap_username=user,
            imap_password=dovecot.password if dovecot else "",
        )
        print(f"database: {django.db.connection.vendor}, load average {os.getloadavg()[0]:.1f}")
        bench_pipe(generate(args.count, "pipe", 1))
        bench_spawn(generate(args.spawn, "spawn", 2), args.spawn)
        if dovecot is not None:
            from imapclient import IMAPClient

            client = IMAPClient(dovecot.host, port=dovecot.port, ssl=False)
            client.login(user, dovecot.password)
            bench_imap(generate(args.count, "imap", 3), mailbox.pk, client)
            client.logout()
        print(f"tickets {Ticket.objects.count()}, messages {Message.objects.count()}")
    finally:
        if dovecot is not None:
            dovecot.stop()


if __name__ == "__main__":
    main()
