"""How a username looks: its confusable skeleton (Unicode TR 39) and the scripts of its words."""

import re
import unicodedata
from functools import cache

from confusable_homoglyphs import categories, confusables

# confusable_homoglyphs keeps Unicode's confusables.txt as links both ways, and wraps each
# right-to-left character in left-to-right marks so that it prints legibly.
LEFT_TO_RIGHT_MARK = "\u200e"

# Scripts every writing system shares (digits, punctuation) or borrows (combining marks).
SHARED_SCRIPTS = {"COMMON", "INHERITED"}
# Han is written beside kana in Japanese, beside Hangul in Korean and beside Bopomofo.
MIXED_BY_NATURE = [{"HAN", "HIRAGANA", "KATAKANA"}, {"HAN", "HANGUL"}, {"HAN", "BOPOMOFO"}]
WORD = re.compile(r"[^\W\d_]+")  # a run of letters


@cache
def _links() -> dict[str, frozenset[str]]:
    links: dict[str, set[str]] = {}
    for char, homoglyphs in confusables.confusables_data.items():
        for homoglyph in homoglyphs:
            one, other = char.strip(LEFT_TO_RIGHT_MARK), homoglyph["c"].strip(LEFT_TO_RIGHT_MARK)
            links.setdefault(one, set()).add(other)
            links.setdefault(other, set()).add(one)
    return {char: frozenset(linked) for char, linked in links.items()}


def _stand_in(char: str) -> str:
    """The spelling that char's whole class of look-alikes shares."""
    links = _links()
    linked = links.get(char)
    if not linked or len(linked) > 1:
        # Each confusable character links to its prototype alone; a prototype links to many.
        return char
    (other,) = linked
    if len(other) > 1 or len(links[other]) > 1:
        return other
    # A class of two single characters: the data does not say which one is the prototype,
    # and comparing skeletons needs only that the whole class agrees on one.
    return min(char, other)


@cache
def _stand_ins() -> dict[str, str]:
    # A prototype may spell out several characters ("rn" for "m"); each of those stands in too.
    return {
        char: "".join(_stand_in(part) for part in _stand_in(char))
        for char in _links()
        if len(char) == 1
    }


def skeleton(text: str) -> str:
    """Unicode TR 39's skeleton: text with each character spelled as its look-alikes' prototype."""
    stand_ins = _stand_ins()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(stand_ins.get(char, char) for char in decomposed))


def username_skeleton(username: str) -> str:
    """The key two usernames share when they look alike, whatever their letter case."""
    # Skeleton first, so that "I" becomes "l" before case folding would make it "i".
    return skeleton(skeleton(username).casefold())


def mixes_scripts(username: str) -> bool:
    """Whether one word of the name mixes alphabets, as "paypal" with a Cyrillic "a" would."""
    for word in WORD.findall(username):
        scripts = categories.unique_aliases(word) - SHARED_SCRIPTS
        if len(scripts) > 1 and not any(scripts <= mixed for mixed in MIXED_BY_NATURE):
            return True
    return False
