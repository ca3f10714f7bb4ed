"""Excerpts with the searched words marked: escaped text, with <mark> added by us alone.

The marks are found here, in Python, on the stored plain text, never taken from a database's
headline function: every piece of text is escaped, and only the tags this module writes are not.
A word is marked where a folded word of the text starts with it, so 'cafe' marks 'Café' and a
stem such as 'launch' marks 'launches'; CJK characters are marked one by one.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import CJK, fold

EXCERPT_CHARS = 240  # about two lines of a result


def _folded_with_positions(text):
    """The folded text, and for each of its characters the index of the original one."""
    if text.isascii():  # most text: folding is lowercasing, and positions do not move
        return text.lower(), range(len(text))
    folded, positions = [], []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions


@lru_cache(maxsize=4096)
def _fold_char(char):
    return "".join(piece for piece in fold(char) if not unicodedata.combining(piece))


def _pattern(words):
    alternatives = sorted(set(words), key=len, reverse=True)
    parts = [
        re.escape(word) if CJK.fullmatch(word) else rf"(?<!\w){re.escape(word)}\w*"
        for word in alternatives
    ]
    return re.compile("|".join(parts)) if parts else None


def marked_spans(text, words):
    """(start, end) of each marked word in the original text, in order."""
    pattern = _pattern(words)
    if pattern is None or not text:
        return []
    folded, positions = _folded_with_positions(text)
    return [
        (positions[found.start()], positions[found.end() - 1] + 1)
        for found in pattern.finditer(folded)
    ]


def excerpt(text, words, *, length=EXCERPT_CHARS):
    """A window of the text around its first marked word, escaped, with the words marked."""
    spans = marked_spans(text, words)
    start = max(0, spans[0][0] - length // 3) if spans else 0
    if start:
        start = _word_start(text, start)
    end = min(len(text), start + length)
    if end < len(text):
        end = _word_end(text, end)
    pieces = ["…" if start else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces += [escape(text[cursor:span_start]), "<mark>", escape(text[span_start:span_end])]
        pieces.append("</mark>")
        cursor = span_end
    pieces += [escape(text[cursor:end]), "…" if end < len(text) else ""]
    return mark_safe("".join(pieces))  # every piece of the text above went through escape()


def _word_start(text, index):
    space = text.find(" ", index, index + 20)
    return space + 1 if space != -1 else index


def _word_end(text, index):
    space = text.rfind(" ", index - 20, index)
    return space if space != -1 else index
