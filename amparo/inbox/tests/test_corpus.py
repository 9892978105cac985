"""Every real bounce and auto-reply of the sisimai corpus: no person-written ticket, no reply."""

from __future__ import annotations

from pathlib import Path

import pytest

from amparo.inbox.email.ingest import ingest
from amparo.inbox.models import QuarantinedMail
from amparo.tickets.models import AuthorKind, Message, Ticket

# A copy of ../shared/corpora/email/sisimai-bounces (BSD 2-clause, see its LICENSE), kept in
# the repository so that a clone tests the same mail wherever it is checked out.
CORPUS = Path(__file__).resolve().parent / "corpora" / "sisimai-bounces"
FILES = sorted(CORPUS.glob("*.eml"))


def test_corpus_is_there():
    assert len(FILES) > 600


@pytest.mark.django_db
def test_no_bounce_or_auto_reply_becomes_a_ticket(mailbox, run_jobs):
    outcomes: dict[str, int] = {}
    kept = set()
    for path in FILES:
        result = ingest(path.read_bytes(), source="pipe", mailbox=mailbox)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        kept.add(result.quarantine_id)
    assert Ticket.objects.count() == 0, outcomes
    assert not Message.objects.filter(author_kind=AuthorKind.CONTACT).exists()
    assert run_jobs() == []  # no acknowledgement or any other mail went out
    # Nothing vanished: each file is in quarantine (none refers to mail we sent); files with
    # identical bytes share one entry.
    assert outcomes == {"quarantined": len(FILES)}
    assert None not in kept
    assert QuarantinedMail.objects.filter(pk__in=kept).count() == len(kept)
    reasons = set(QuarantinedMail.objects.values_list("reason", flat=True))
    assert "error" not in reasons and "parse_error" not in reasons
