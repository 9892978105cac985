"""What a person typed into a search box, parsed once and rendered for each database.

The syntax is deliberately small, the same on SQLite and PostgreSQL:

- words must all match, in any order and anywhere in the ticket (subject or messages);
- ``"in quotes"`` must match as a phrase, words side by side;
- the last word, when at least ``PREFIX_MIN_CHARS`` long and not followed by a closing
  quote, also matches longer words ("cance" finds "cancelamento"), so results follow the
  typing;
- case and accents never matter ("cartao" finds "Cartão").

A word is what the database's tokenizer says it is: "maria@example.org" or "e-mail" are kept
whole here and handed to the database as a phrase, which splits them as it split the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
PREFIX_MIN_CHARS = 3

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def parse(text: str, *, all_prefix: bool = False) -> SearchQuery:
    """Terms of ``text``; an unclosed quote runs to the end. ``all_prefix`` makes every bare
    word a prefix (people search: "mar sil" finds "Maria Silva")."""
    text = text[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    still_typing = False  # the last term is a bare word or a phrase whose quote is not closed
    for match in _TOKEN.finditer(text):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            words = " ".join(quoted.split())
            if _has_word(words):
                terms.append(Term(words, phrase=True))
                still_typing = not match.group(0).endswith('"') or len(match.group(0)) == 1
        elif bare is not None and _has_word(bare):
            terms.append(Term(bare, prefix=all_prefix))
            still_typing = True
    terms = terms[:MAX_TERMS]
    last = terms[-1] if terms else None
    if last and still_typing and len(last.text.split()[-1]) >= PREFIX_MIN_CHARS:
        terms[-1] = Term(last.text, phrase=last.phrase, prefix=True)
    return SearchQuery(tuple(terms))


def ticket_number(text: str) -> tuple[int | None, bool]:
    """(number, only_number): "#123" is only a ticket number; "123" is a number or a word."""
    text = text.strip()
    if re.fullmatch(r"#\s*[0-9]{1,12}", text):
        return int(text.lstrip("#").strip()), True
    if re.fullmatch(r"[0-9]{1,12}", text):
        return int(text), False
    return None, False
