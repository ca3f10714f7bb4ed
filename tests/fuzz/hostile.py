"""Hostile values, as strategies: what an attacker types, pastes or sends raw.

A value is a str, sent as UTF-8 (a lone surrogate goes out as the invalid bytes it would be), or
bytes, sent as they are: invalid UTF-8 that a browser never produces but a script does.
"""

from hypothesis import strategies as st

# The `next` shapes that have broken redirects: no slash or dot makes redirect() try a URL name.
NEXT_SHAPES = [
    "abc",
    "post-1",
    "x#y",
    "//evil.example",
    "javascript:alert(1)",
    "\\\\evil",
    "\\evil",
    "/\\evil.example",
    "https://evil.example/",
    "/forum/?next=//evil.example",
    "#",
    "?",
    "",
    "/",
]
NUMBERS = [
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # Arabic-Indic three: int() accepts it
    "\uff11\uff12",  # fullwidth twelve
    "-1",
    "0",
    "99999999999999999999999",  # past every integer column
    "-9223372036854775809",
    "1.5",
    "1e3",
    " 7 ",
    "0x10",
    "NaN",
]
CONTROL = [
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: invalid in UTF-8 once encoded
    "\udfff",
    b"\xff\xfe",
    b"\xc0\xaf",  # an overlong "/"
    b"\xed\xa0\x80",
    b"\x80",
    "%00",
    "%ff%zz",
    "\u202e",  # right-to-left override
    "\r\n",
]
TEXT = [
    " ",
    "\u00a0",
    "\u200b",
    "[a]: https://example.org",  # Markdown that renders to nothing
    "<!-- -->",
    "a/b",
    "../..",
    ".",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}",
    "%(name)s",
    "' OR '1'='1",
    "🛰️",
    "x" * 10_001,  # past the post length limit
    "y" * 100_000,
]
EVERYTHING = NEXT_SHAPES + NUMBERS + CONTROL + TEXT

any_hostile = st.one_of(
    st.sampled_from(EVERYTHING),
    st.text(max_size=12),
    st.integers().map(str),
    st.binary(min_size=1, max_size=6),
)


ABSENT = None  # a field left out of the request altogether

# What every field and path parameter gets in the sweeps: one value of each kind of trouble.
SWEEP = [ABSENT, "", "a\x00b", "\ud800", b"\xff\xfe", "²", "٣", "-1", "99999999999999999999999"]
# ...and a field that carries an address back, or text a person writes, these as well.
SWEEP_NEXT = ["abc", "post-1", "x#y", "//evil.example", "javascript:alert(1)", "\\\\evil"]
SWEEP_TEXT = ["[a]: https://example.org", "a/b", " ", "x" * 10_001]


def hostile(*preferred):
    """A hostile value, half the time from the given lists (the field's own kind of trouble)."""
    if not preferred:
        return any_hostile
    return st.one_of(st.sampled_from([v for values in preferred for v in values]), any_hostile)


def as_bytes(value):
    """The bytes a value goes out as: UTF-8, with lone surrogates left invalid."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
