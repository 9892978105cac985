"""What a search box's text becomes: terms, phrases, the prefix of the last word, numbers."""

from __future__ import annotations

import pytest

from amparo.search.query import MAX_TERMS, Term, parse, ticket_number


def test_words_and_the_last_one_as_prefix():
    assert parse("cartão cance").terms == (Term("cartão"), Term("cance", prefix=True))


def test_a_short_last_word_is_not_a_prefix():
    assert parse("pagar no").terms == (Term("pagar"), Term("no"))


def test_phrases_in_quotes_and_an_unclosed_quote():
    assert parse('"cartão  bloqueado" ontem').terms == (
        Term("cartão bloqueado", phrase=True),
        Term("ontem", prefix=True),
    )
    assert parse('boleto "valor err').terms == (
        Term("boleto"),
        Term("valor err", phrase=True, prefix=True),
    )


def test_punctuation_alone_is_no_term():
    assert not parse('!!! "" -- ?')
    assert parse("e-mail, maria@example.org").terms == (
        Term("e-mail,"),
        Term("maria@example.org", prefix=True),
    )


def test_people_search_makes_every_word_a_prefix():
    assert parse("m si", all_prefix=True).terms == (
        Term("m", prefix=True),
        Term("si", prefix=True),
    )


def test_terms_are_capped():
    assert len(parse(" ".join(f"w{n}" for n in range(40))).terms) == MAX_TERMS


@pytest.mark.parametrize(
    ("text", "expected"),
    [("#123", (123, True)), ("# 7", (7, True)), ("123", (123, False)), ("12a", (None, False))],
)
def test_ticket_numbers(text, expected):
    assert ticket_number(text) == expected
