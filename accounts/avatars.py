"""Avatars drawn by the stylesheet: a name's initials on one of a fixed set of colours.

No image is fetched and no style is written inline (the CSP forbids both): the colour is one of
COLOURS classes in static/css/parley.css, picked by a checksum of the name, so a name always
wears the same colour on every page and for every reader.
"""

import zlib

COLOURS = 8  # avatar-0 ... avatar-7 in the stylesheet


def initials(name: str) -> str:
    """Up to two letters: of the first two words, or the first two characters of one word."""
    words = name.split()
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return name.strip()[:2].upper() or "?"


def colour_class(name: str) -> str:
    """The CSS class of the name's colour."""
    return f"avatar-{zlib.crc32(name.encode()) % COLOURS}"
