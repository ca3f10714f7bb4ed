"""The one normalisation of text, for what is indexed and what is searched for alike.

Both backends index the same prepared text: accents and case folded here in Python (so
PostgreSQL needs no unaccent extension and SQLite 3.40's unicode61 gets the same input), and
CJK ideographs and kana split one per token, since neither tokenizer finds word boundaries in
scripts written without spaces. A CJK phrase then matches as a phrase of single characters.
"""

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

# Han, kana and the CJK compatibility blocks; Hangul is written with spaces and stays whole.
CJK = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])")
WORD = re.compile(r"\w+")
# Control characters never reach the index: NUL breaks PostgreSQL, the rest mean nothing.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def fold(text: str) -> str:
    """Text without accents and case: 'Café' and 'cafe' become the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def searchable(text: str) -> str:
    """The text as the index holds it: folded, CJK split into characters, controls gone."""
    return CJK.sub(r" \1 ", fold(CONTROL.sub(" ", text)))


def words(text: str) -> tuple[str, ...]:
    """The index's tokens in a piece of text, in order."""
    return tuple(WORD.findall(searchable(text)))


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "blockquote", "li", "pre", "br", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data):
        self.pieces.append(data)


def html_to_text(html: str) -> str:
    """The readable text of sanitised post HTML, one space between words."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return " ".join(unescape("".join(parser.pieces)).split())
