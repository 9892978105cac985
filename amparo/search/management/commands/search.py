"""``amparo search rebuild`` (re-index everything in batches), ``check`` and ``status``."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amparo.search.models import IndexName


class Command(BaseCommand):
    help = "Search indexes of tickets and contacts: rebuild, check, status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        rebuild = sub.add_parser(
            "rebuild", help="Empty the indexes and index every ticket and contact again."
        )
        rebuild.add_argument(
            "--only", choices=IndexName.values, action="append", help="One index (repeatable)."
        )
        rebuild.add_argument("--batch", type=int, default=5000, help="Rows per transaction.")
        check = sub.add_parser("check", help="Verify triggers and indexes; exit 1 on a problem.")
        check.add_argument(
            "--deep",
            action="store_true",
            help="Also compare every index entry with its rows (reads everything).",
        )
        sub.add_parser("status", help="When each index was last rebuilt.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "rebuild":
            self._rebuild(options)
        elif action == "check":
            self._check(options)
        elif action == "status":
            self._status()
        else:
            self.stderr.write("usage: amparo search {rebuild,check,status} …")
            sys.exit(64)

    def _rebuild(self, options: dict[str, Any]) -> None:
        from amparo.search.schema import ensure_installed
        from amparo.search.services import search_rebuild

        if options["batch"] < 1:
            self.stderr.write("--batch must be at least 1")
            sys.exit(64)
        started = time.perf_counter()
        ensure_installed()
        search_rebuild(
            names=options["only"] or IndexName.values,
            batch=options["batch"],
            progress=self._progress if options["verbosity"] > 0 else None,
        )
        self.stdout.write(f"rebuilt in {time.perf_counter() - started:.1f}s")

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _check(self, options: dict[str, Any]) -> None:
        from amparo.search.selectors import index_problems

        problems = index_problems(deep=options["deep"])
        for name, problem in problems.items():
            self.stdout.write(f"{name}: {problem or 'ok'}")
        if any(problems.values()):
            self.stderr.write("run: amparo search rebuild")
            sys.exit(1)

    def _status(self) -> None:
        from amparo.search.models import ALL
        from amparo.search.selectors import index_states

        states = index_states()
        for name in IndexName.values:
            state = states.get(name)
            if state is None:
                self.stdout.write(f"{name}: never built")
            elif state.indexed_upto != ALL:
                self.stdout.write(
                    f"{name}: rebuild unfinished (indexed up to id {state.indexed_upto:,})"
                )
            else:
                self.stdout.write(f"{name}: current, rebuilt {state.rebuilt_at:%Y-%m-%d %H:%M} UTC")
