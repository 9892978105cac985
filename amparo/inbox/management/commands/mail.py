"""``amparo mail ingest < message.eml`` (MTA pipe) and ``amparo mail fetch`` (IMAP, once).

Exit codes follow sysexits.h so an MTA knows what to do: 0 stored (as a message, a bounce or
in quarantine: nothing to retry), 64 usage, 66 empty input, 75 temporary failure (database
down: the MTA keeps the mail and retries), 70 internal error.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError

EX_OK = 0
EX_USAGE = 64
EX_NOINPUT = 66
EX_SOFTWARE = 70
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Email channel: ingest one mail from standard input, or fetch mailboxes once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        ingest = sub.add_parser("ingest", help="Read one RFC 5322 message from standard input.")
        ingest.add_argument("--mailbox", help="Address of the mailbox it was sent to.")
        ingest.add_argument(
            "--recipient", action="append", default=[], help="Envelope recipient (repeatable)."
        )
        fetch = sub.add_parser("fetch", help="Fetch new mail of every active IMAP mailbox once.")
        fetch.add_argument("--mailbox", help="Only this mailbox (address).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "ingest":
            sys.exit(self._ingest(options))
        if action == "fetch":
            sys.exit(self._fetch(options))
        self.stderr.write("usage: amparo mail {ingest,fetch} …")
        sys.exit(EX_USAGE)

    def _ingest(self, options: dict[str, Any]) -> int:
        from amparo.inbox.email.ingest import ingest
        from amparo.inbox.models import Mailbox

        raw = sys.stdin.buffer.read()
        if raw.startswith(b"From "):
            # Postfix pipe(8) with flags=F, procmail and mbox tools prepend an mbox "From " line.
            raw = raw.partition(b"\n")[2]
        if not raw.strip():
            self.stderr.write("no message on standard input")
            return EX_NOINPUT
        try:
            mailbox = None
            if options.get("mailbox"):
                mailbox = Mailbox.objects.filter(address__iexact=options["mailbox"]).first()
                if mailbox is None:
                    self.stderr.write(f"unknown mailbox {options['mailbox']}")
                    return EX_USAGE
            result = ingest(
                raw, source="pipe", mailbox=mailbox, envelope_recipients=options["recipient"]
            )
        except (OperationalError, InterfaceError) as exc:
            self.stderr.write(f"temporary failure: {exc}")
            return EX_TEMPFAIL
        except Exception as exc:  # the MTA must get an exit code, never a traceback alone
            self.stderr.write(f"internal error: {exc!r}")
            return EX_SOFTWARE
        self.stdout.write(
            f"{result.outcome} ticket={result.ticket_id or '-'} "
            f"quarantine={result.quarantine_id or '-'}"
        )
        return EX_OK

    def _fetch(self, options: dict[str, Any]) -> int:
        from amparo.inbox.email.imap import fetch_mailbox
        from amparo.inbox.models import Mailbox

        boxes = Mailbox.objects.filter(is_active=True).exclude(imap_host="")
        if options.get("mailbox"):
            boxes = boxes.filter(address__iexact=options["mailbox"])
        total = 0
        for mailbox in boxes:
            total += fetch_mailbox(mailbox.pk)
        self.stdout.write(f"{total} new mail(s)")
        return EX_OK
