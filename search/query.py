"""The query language, parsed into a small tree of our own; no user text reaches MATCH raw.

    mars rover          both words (each may be stemmed on PostgreSQL and SQLite)
    "orbital station"   the words together, in this order
    -russia             without this word (or -"a phrase")
    lunar OR mars       either word
    author:name         by this author (author:"two words" for names with spaces)

Each word or phrase becomes a Term: the index's own tokens (text.words), always matched as a
sequence, so "don't", "e-mail" or a CJK run behave as a phrase; anything without a letter or
digit (*, :, parentheses, NEAR's quotes) is dropped rather than passed on as syntax.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import text
from .conf import settings

# A quoted phrase (closed or running to the end), or a run of anything but space and quotes.
TOKEN = re.compile(r'(-?)(?:(author:)?"([^"]*)"?|(\S+?)(?=\s|"|$))')


class QueryError(ValueError):
    """A query that cannot be searched for, with a message to show the reader."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # index tokens, matched as one sequence


@dataclass(frozen=True)
class Query:
    groups: tuple[tuple[Term, ...], ...] = ()  # every group must match: one of its terms
    excluded: tuple[Term, ...] = ()
    author: str = ""
    terms_shown: tuple[str, ...] = field(default=(), compare=False)  # words to highlight

    @property
    def has_words(self):
        return bool(self.groups)


def parse(raw: str) -> Query:
    """Parse a reader's query, or raise QueryError saying what is wrong with it."""
    raw = text.CONTROL.sub(" ", raw or "").strip()
    if len(raw) > settings.MAX_QUERY_LENGTH:
        raise QueryError(
            _("Your search is too long: %(max)d characters at most, please.")
            % {"max": settings.MAX_QUERY_LENGTH}
        )
    groups, excluded, author = [], [], ""
    either = False  # the previous token was OR: the next term joins the last group
    for negated, author_prefix, quoted, bare in TOKEN.findall(raw):
        if quoted == "" and bare == "" and not author_prefix:
            continue  # an empty pair of quotes
        if author_prefix or bare.lower().startswith("author:"):
            author = (quoted if author_prefix else bare[len("author:") :]).strip()
            continue
        if bare == "OR" and not negated:
            either = bool(groups)
            continue
        term = Term(text.words(quoted if quoted or not bare else bare))
        if not term.words:
            continue
        if negated:
            excluded.append(term)
        elif either:
            groups[-1] = (*groups[-1], term)
        else:
            groups.append((term,))
        either = False
    query = Query(
        tuple(groups),
        tuple(excluded),
        author,
        terms_shown=tuple(word for group in groups for term in group for word in term.words),
    )
    if sum(len(group) for group in groups) + len(excluded) > settings.MAX_TERMS:
        raise QueryError(
            _("Too many words: search for %(max)d words or phrases at most.")
            % {"max": settings.MAX_TERMS}
        )
    return query
