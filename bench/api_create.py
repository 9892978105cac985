"""Ticket creation through the real HTTP API, served by the production ASGI server.

    AMPARO_DATA_DIR=/tmp/amparo-bench REDIS_URL=redis://127.0.0.1:6379/3 [DATABASE_URL=…] \\
        .venv/bin/python bench/api_create.py --count 2000 --concurrency 8

Starts ``amparo web --workers 2`` (uvicorn) on a free localhost port against the configured
database, creates an agent and a write token, POSTs /api/v1/tickets from --concurrency
concurrent clients until --count tickets or --duration seconds, then stops the server and
prints requests/s, latency percentiles and errors. Each request creates a ticket with its
first message and timeline events through the services, as an integration would.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import django
import httpx
import psycopg

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
django.setup()

import corpus_ptbr as C  # noqa: E402
import templates_ptbr as T  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from amparo.accounts.models import Role, TokenScope, User  # noqa: E402
from amparo.accounts.services import agent_create, api_token_create, api_token_revoke  # noqa: E402

HERE = Path(__file__).resolve().parent
# httpx logs every request at INFO through Django's root handler: noise, and it costs time.
logging.getLogger("httpx").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def payload(rng: random.Random, n: int) -> dict[str, object]:
    topic = rng.choice(list(T.TOPICS))
    first, last = rng.choice(C.FIRST_NAMES), rng.choice(C.LAST_NAMES)
    subs = {
        "nome": first,
        "agente": "Equipe",
        "produto": rng.choice(C.PRODUCTS),
        "pedido": str(rng.randint(10_000_000, 99_999_999)),
        "cidade": rng.choice(C.CITIES),
        "plano": rng.choice(C.PLANS),
        "valor": f"R$ {rng.randint(19, 2500)},{rng.randint(0, 99):02d}",
        "data": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026",
        "pagamento": rng.choice(C.PAYMENT),
        "transportadora": rng.choice(C.CARRIERS),
        "dia": rng.choice(C.WEEKDAYS),
        "protocolo": str(rng.randint(10**9, 10**10 - 1)),
        "dias": str(rng.randint(2, 20)),
        "cep": f"{rng.randint(10000, 99999)}-{rng.randint(0, 999):03d}",
    }
    subjects, problems = T.TOPICS[topic]
    body = "\n\n".join(
        p for p in (rng.choice(T.OPENINGS), rng.choice(problems), rng.choice(T.CLOSINGS)) if p
    )
    # A pool of 3,000 addresses: most requests meet a known customer, some create one.
    who = rng.randint(1, 3000)
    return {
        "subject": rng.choice(subjects).format(**subs),
        "body_text": body.format(**subs),
        "channel": rng.choice(["email", "web", "api", "whatsapp"]),
        "priority": rng.choice([1, 2, 2, 2, 3, 4]),
        "contact": {"name": f"{first} {last}", "email": f"cliente{who}@api.bench.amparo.test"},
        "tags": rng.sample(["api", "bench", "integracao", "urgente"], rng.randint(0, 2)),
        "client_id": f"bench-{os.getpid()}-{n}",
    }


async def load(base: str, token: str, count: int, duration: float, concurrency: int) -> dict:
    latencies: list[float] = []
    errors: collections.Counter[str] = collections.Counter()
    sent = 0
    deadline = time.perf_counter() + duration
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(seed: int, client: httpx.AsyncClient) -> None:
        nonlocal sent
        rng = random.Random(seed)
        while sent < count and time.perf_counter() < deadline:
            sent += 1
            body = payload(rng, sent)
            started = time.perf_counter()
            try:
                response = await client.post("/api/v1/tickets", json=body)
                if response.status_code != 201:
                    errors[f"HTTP {response.status_code}"] += 1
                    continue
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=60, limits=limits
    ) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(i, client) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {"latencies": latencies, "errors": errors, "elapsed": elapsed, "sent": sent}


class ConnectionWatcher(threading.Thread):
    """Samples how many connections the database has open, once a second (PostgreSQL)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self._stop_event = threading.Event()
        self._dsn = os.environ.get("DATABASE_URL", "")
        self._db = connection.settings_dict["NAME"]

    def run(self) -> None:
        with psycopg.connect(self._dsn, autocommit=True) as conn:
            while not self._stop_event.wait(1):
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    (self._db,),
                ).fetchone()
                self.peak = max(self.peak, int(row[0]) if row else 0)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}; see its log")
        try:
            # Any answer means it is serving (health is 503 while no job worker runs).
            httpx.get(f"{base}/health", timeout=2)
            return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not answer within 60 s")


def pct(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms)) - 1))]


def queries_per_create(token: str) -> None:
    """One more create, in-process, to count its SQL queries (the server cannot tell us)."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    body = payload(random.Random(99), 0)
    body["client_id"] = f"bench-count-{time.time()}"
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/v1/tickets", body, content_type="application/json")
    queries = ctx.captured_queries
    writes = sum(
        1 for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    )
    print(
        f"one create in-process (django.test.Client): HTTP {response.status_code}, "
        f"{len(queries)} SQL queries ({writes} writes)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="tickets to create at most")
    parser.add_argument("--duration", type=float, default=120, help="seconds at most")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="serve with this CONN_MAX_AGE instead of the configured one (comparison runs)",
    )
    args = parser.parse_args()
    if args.workers > 1 and not settings.REDIS_URL:
        sys.exit("amparo web with more than one worker needs REDIS_URL (the channel layer).")

    stamp = int(time.time())
    agent = agent_create(
        email=f"api-bench-{stamp}@bench.amparo.test", name="API Bench", role=Role.AGENT
    )
    token_row, token = api_token_create(user=agent, name="api bench", scope=TokenScope.WRITE)
    before = agent.pk
    connection.close()  # the server's processes take the database from here

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(settings.DATA_DIR) / "logs" / f"api-bench-server-{stamp}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    amparo = str(Path(sys.executable).with_name("amparo"))
    cmd = [
        amparo,
        "web",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
    ]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"server: {' '.join(cmd[1:])} (uvicorn, log {log_path})")
    env = dict(os.environ)
    if args.conn_max_age is not None:
        env["DJANGO_SETTINGS_MODULE"] = "_server_settings"
        env["AMPARO_BENCH_CONN_MAX_AGE"] = str(args.conn_max_age)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    max_age = (
        args.conn_max_age
        if args.conn_max_age is not None
        else connection.settings_dict["CONN_MAX_AGE"]
    )
    print(f"CONN_MAX_AGE of the server: {max_age}")
    watcher = ConnectionWatcher() if connection.vendor == "postgresql" else None
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )
        try:
            wait_ready(base, server)
            if watcher:
                watcher.start()
            print(
                f"load: POST /api/v1/tickets, concurrency {args.concurrency}, "
                f"up to {args.count} requests or {args.duration:.0f} s"
            )
            result = asyncio.run(load(base, token, args.count, args.duration, args.concurrency))
        finally:
            if watcher:
                watcher.stop()
            # Our own server only: its process group, by the id we started it with.
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()

    ms = sorted(result["latencies"])
    ok = len(ms)
    errors = result["errors"]
    elapsed = result["elapsed"]
    print(
        f"requests: {result['sent']} in {elapsed:.1f} s; created {ok}; errors {sum(errors.values())}"
    )
    if errors:
        print("errors: " + ", ".join(f"{k} x{v}" for k, v in errors.most_common()))
    if ms:
        print(
            f"throughput: {ok / elapsed:.1f} tickets/s ({result['sent'] / elapsed:.1f} requests/s)"
        )
        print(
            f"latency ms: p50 {pct(ms, 50):.1f}  p95 {pct(ms, 95):.1f}  p99 {pct(ms, 99):.1f}  "
            f"max {ms[-1]:.1f}"
        )
    if watcher:
        print(f"database connections open at once (peak, whole server): {watcher.peak}")
    queries_per_create(token)
    api_token_revoke(token=token_row)
    created = User.objects.get(pk=before).messages.count()
    print(f"check: the bench agent authored {created} first messages in the database")


if __name__ == "__main__":
    main()
