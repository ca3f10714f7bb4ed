"""The query language becomes our own tree; nothing a reader types is passed on as syntax."""

import pytest

from search.query import Query, QueryError, Term, parse


def words(*groups):
    return tuple(tuple(Term(tuple(term.split())) for term in group) for group in groups)


def test_words_must_all_match():
    assert parse("mars rover").groups == words(["mars"], ["rover"])


def test_a_quoted_phrase_is_one_term():
    assert parse('"orbital station" now').groups == words(["orbital station"], ["now"])


def test_an_unclosed_quote_runs_to_the_end():
    assert parse('"orbital station').groups == words(["orbital station"])


def test_or_joins_its_neighbours_into_one_group():
    assert parse("lunar OR mars rover").groups == words(["lunar", "mars"], ["rover"])


def test_a_lowercase_or_is_a_word():
    assert parse("lunar or mars").groups == words(["lunar"], ["or"], ["mars"])


def test_a_minus_excludes_a_word_or_a_phrase():
    query = parse('station -russia -"space race"')
    assert query.excluded == (Term(("russia",)), Term(("space", "race")))


def test_author_takes_a_name_or_a_quoted_one():
    assert parse("author:mira dust").author == "mira"
    assert parse('author:"Mira Lee" dust').author == "Mira Lee"


def test_accents_and_case_are_folded():
    assert parse("Café").groups == words(["cafe"])


def test_cjk_is_split_into_characters_matched_as_a_phrase():
    assert parse("空间站").groups == (((Term(("空", "间", "站")),),))


@pytest.mark.parametrize("raw", ["*", ":", "()", '""', "NEAR(", "-", "OR", "\x00", "AND"])
def test_syntax_characters_alone_leave_no_operator(raw):
    query = parse(raw)
    assert all(word.isalnum() for group in query.groups for term in group for word in term.words)


def test_nul_and_control_characters_separate_words():
    assert parse("mars\x00rover").groups == words(["mars"], ["rover"])


def test_a_query_over_the_length_limit_is_refused_with_a_message(settings):
    settings.PARLEY_SEARCH_MAX_QUERY_LENGTH = 20
    with pytest.raises(QueryError, match="too long"):
        parse("x" * 21)


def test_too_many_terms_are_refused_with_a_message(settings):
    settings.PARLEY_SEARCH_MAX_TERMS = 3
    with pytest.raises(QueryError, match="Too many words"):
        parse("a b c d")


def test_an_empty_query_has_no_words():
    assert parse("   ") == Query()
