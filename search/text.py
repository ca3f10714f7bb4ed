"""The one normalisation of text, for what is indexed and what is searched for alike.

Both backends index the same prepared text: accents and case folded here in Python (so
PostgreSQL needs no unaccent extension and SQLite 3.40's unicode61 gets the same input), and
CJK ideographs and kana split one per token, since neither tokenizer finds word boundaries in
scripts written without spaces. A CJK phrase then matches as a phrase of single characters.
"""

import re
import unicodedata
from functools import cache
from html import unescape

# Han, kana and the CJK compatibility blocks; Hangul is written with spaces and stays whole.
CJK = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])")
WORD = re.compile(r"\w+")
# Control characters never reach the index: NUL breaks PostgreSQL, the rest mean nothing.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|blockquote|pre|hr|h[1-6]|table|tr|td|th)\b[^>]*>")
INLINE_TAG = re.compile(r"<[^>]*>")
# Where comments' non-ASCII characters other than letters are: punctuation, symbols, emoji.
SYMBOL_BLOCKS = ((0x00A0, 0x00BF), (0x2000, 0x2BFF), (0xFE00, 0xFE0F), (0x1F000, 0x1FAFF))


def fold(text: str) -> str:
    """Text without accents and case: 'Café' and 'cafe' become the same."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def searchable(text: str) -> str:
    """The text as the index holds it: folded, CJK split into characters, controls gone."""
    folded = fold(CONTROL.sub(" ", text))
    return folded if folded.isascii() else CJK.sub(r" \1 ", folded)


def words(text: str) -> tuple[str, ...]:
    """The index's tokens in a piece of text, in order."""
    return tuple(WORD.findall(searchable(text)))


def html_to_text(html: str) -> str:
    """The readable text of sanitised post HTML, one space between words."""
    # Sanitised HTML (forum.markdown) has no comments, scripts or stray angle brackets, so
    # tags can be cut by pattern; block tags part words, inline ones do not.
    text = INLINE_TAG.sub("", BLOCK_TAG.sub(" ", html))
    return " ".join(unescape(text).split())


@cache
def unchanged_symbols() -> tuple[tuple[str, str], ...]:
    """Ranges of the non-ASCII characters that html_to_text and searchable keep as they are.

    Each is neither folded, nor split off, nor a space, nor part of a word (so a tag pattern's
    word boundary next to one is the same everywhere), and folding works on each character
    alone: a text of ASCII and these is prepared for the index by lowering its ASCII letters.
    PostgreSQL relies on this to prepare such posts in SQL (search.backends.postgres).
    """
    kept = [
        code
        for first, last in SYMBOL_BLOCKS
        for code in range(first, last + 1)
        if _unchanged(chr(code))
    ]
    ranges = []
    for code in kept:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return tuple((chr(first), chr(last)) for first, last in ranges)


def _unchanged(char):
    return searchable(char) == char and html_to_text(char) == char and not WORD.match(char)
