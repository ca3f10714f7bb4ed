"""Streaming XML for archives from elsewhere: defusedxml's iterparse, with our own error messages.

A damaged file (stray bytes before the declaration, an unquoted attribute, a forbidden control
character, a truncated end: real exports carry them) is read again leniently by lxml's
recovering parser, after a pre-pass for the two kinds of damage libxml2 cannot recover from
(lenient.py). Both readers keep the same defences: entity declarations, external references,
nesting depth and record size are refused alike.

A front end walks the events and clears each element it has handled (and drops it from its
parent), so a 200 MB export is read in the memory of one thread or one item at a time. The
elements it drops once handled are its records; bounding how deep elements nest and how many a
record holds bounds that memory whatever the file holds.
"""

import hashlib
from xml.etree.ElementTree import ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from . import ImportFailed
from .lenient import lenient_iterparse

# XML's own white space; str.strip() would also eat the U+00A0 a name or title may keep.
XML_SPACE = " \t\r\n"
# Disqus nests 4 levels, WordPress 6. The parser reads 16 KB at a time, so a nesting bomb
# (millions of levels, each a new element held until it closes) is refused within that.
MAX_DEPTH = 64
# A Disqus post holds about a dozen elements, a WordPress post or comment a few dozen (a few
# hundred with every plugin's metadata); a record holds nothing else until it is dropped.
MAX_RECORD_ELEMENTS = 10_000


class Damaged(ImportFailed):
    """Strict parsing failed on malformed XML: the file may still be read leniently."""


def xml_events(source, *, expected_root, is_record, damage=None):
    """Yield (event, element, depth) for start and end events; the root has depth 0.

    is_record(element, depth) says which elements the front end drops once it has handled them.
    Refuses entity declarations and external references, a document whose root element is not
    expected_root ("{namespace}name", or a plain name), nesting deeper than MAX_DEPTH and a
    record of more than MAX_RECORD_ELEMENTS elements. With a Damage, the file is read
    leniently and what was repaired or lost is noted in it; else malformed XML raises Damaged.
    """
    if damage is None:
        parsed = iterparse(source, events=("start", "end"), forbid_dtd=False)
    else:
        parsed = lenient_iterparse(source, damage)
    depth = -1
    records = []  # [depth, tag, elements held] of each open record, the innermost last
    try:
        for event, element in parsed:
            if event == "start":
                depth += 1
                _check_start(element, depth, expected_root)
                # The root holds whatever no record holds: it counts as one.
                if depth == 0 or is_record(element, depth):
                    records.append([depth, element.tag, 0])
                else:
                    _count_in(records[-1])
                yield event, element, depth
            else:
                if records[-1][0] == depth:
                    records.pop()
                yield event, element, depth
                depth -= 1
    except EntitiesForbidden as error:
        if error.sysid or error.pubid:
            raise ImportFailed(
                f"refused: the file declares an external entity ({error.sysid or error.pubid}) "
                "that would read another file or address"
            ) from None
        raise ImportFailed(
            "refused: the file defines XML entities (possible entity-expansion bomb)"
        ) from None
    except ExternalReferenceForbidden as error:
        raise ImportFailed(
            f"refused: the file refers to an external resource ({error.sysid or error.pubid})"
        ) from None
    except DTDForbidden:
        raise ImportFailed("refused: the file carries a document type definition") from None
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise Damaged(f"malformed XML at line {line}, column {column + 1}: {reason}") from None


def _check_start(element, depth, expected_root):
    if depth == 0 and element.tag != expected_root:
        found = local_name(element.tag)
        raise ImportFailed(f"not the expected format: the document starts with <{found}>")
    if depth > MAX_DEPTH:
        raise ImportFailed(
            f"refused: its elements nest more than {MAX_DEPTH} levels deep, "
            "far deeper than any export of comments"
        )


def _count_in(record):
    record[2] += 1
    if record[2] > MAX_RECORD_ELEMENTS:
        raise ImportFailed(
            f"refused: one <{local_name(record[1])}> holds more than {MAX_RECORD_ELEMENTS:,} "
            "elements, far more than any export of comments"
        )


def stable_id(*parts):
    """An id for a record its archive gave none: the same parts give it again on re-import."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha-{digest[:20]}"


def local_name(tag):
    return tag.rpartition("}")[2]


def text_of(element, tag, default=""):
    """The text of element's first child called tag, or default when it is absent or empty."""
    child = element.find(tag)
    if child is None or child.text is None:
        return default
    return child.text
