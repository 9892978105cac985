"""Cost of outbound webhooks: what emitting adds to a ticket change, and delivery throughput.

    AMPARO_DATA_DIR=/tmp/amparo-bench-webhooks [DATABASE_URL=…] \\
        .venv/bin/python bench/webhooks.py --tickets 300

Migrates the configured database, then (1) creates --tickets tickets through ticket_create with
0, 1 and 5 subscriptions and prints the time per ticket, and (2) runs the real database worker
over the queued deliveries against an HTTP receiver on 127.0.0.1 and prints deliveries/s.
Everything it creates is deleted at the end.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
os.environ["AMPARO_OUTBOUND_ALLOW_PRIVATE"] = "true"  # the receiver is on loopback
django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per POST is noise here

from django.core.management import call_command  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from amparo.accounts.models import Role, User  # noqa: E402
from amparo.core.actors import Actor  # noqa: E402
from amparo.crm.models import Contact  # noqa: E402
from amparo.tickets.models import Ticket  # noqa: E402
from amparo.tickets.services import ticket_create  # noqa: E402
from amparo.webhooks.models import WebhookDelivery, WebhookSubscription  # noqa: E402
from amparo.webhooks.services import webhook_subscription_create  # noqa: E402


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def create_tickets(n: int, contact: Contact, label: str) -> None:
    times = []
    for i in range(n):
        start = time.perf_counter()
        ticket_create(
            contact=contact,
            subject=f"bench {label} {i}",
            channel="api",
            actor=Actor.of_contact(contact),
            body_text="Olá, preciso de ajuda com o pedido.",
        )
        times.append(time.perf_counter() - start)
    times.sort()
    print(
        f"ticket_create with {label:>15}: median {statistics.median(times) * 1000:6.2f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/hook"

    admin = User.objects.create_user(email="bench-webhooks@example.com", role=Role.ADMIN)
    contact = Contact.objects.create(name="Bench Webhooks")
    subs: list[WebhookSubscription] = []
    try:
        create_tickets(args.tickets, contact, "0 subscriptions")
        DBTaskResult.objects.filter(queue_name="webhooks").delete()
        subs.append(webhook_subscription_create(actor=admin, name="b0", url=url)[0])
        create_tickets(args.tickets, contact, "1 subscription")
        for i in range(4):
            subs.append(webhook_subscription_create(actor=admin, name=f"b{i + 1}", url=url)[0])
        create_tickets(args.tickets, contact, "5 subscriptions")

        queued = WebhookDelivery.objects.filter(subscription__in=subs).count()
        start = time.perf_counter()
        call_command(
            "db_worker", "--batch", "--queue-name", "webhooks", "--no-startup-delay",
            "--interval", "0", verbosity=0,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        done = WebhookDelivery.objects.filter(subscription__in=subs, status="succeeded").count()
        print(
            f"delivered {done}/{queued} in {elapsed:.1f} s with one worker: "
            f"{done / elapsed:.0f} deliveries/s ({elapsed / max(done, 1) * 1000:.1f} ms each)"
        )
    finally:
        Ticket.objects.filter(contact=contact).delete()
        for sub in subs:
            sub.delete()
        DBTaskResult.objects.filter(queue_name="webhooks").delete()
        contact.delete()
        admin.delete()
        httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":
    sys.exit(main())
