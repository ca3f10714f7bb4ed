"""Streaming XML for archives from elsewhere: defusedxml's iterparse, with our own error messages.

A front end walks the events and clears each element it has handled (and drops it from its
parent), so a 200 MB export is read in the memory of one thread or one item at a time.
"""

from xml.etree.ElementTree import ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from . import ImportFailed

# XML's own white space; str.strip() would also eat the U+00A0 a name or title may keep.
XML_SPACE = " \t\r\n"


def xml_events(source, *, expected_root):
    """Yield (event, element, depth) for start and end events; the root has depth 0.

    Refuses entity declarations and external references, and a document whose root element
    is not expected_root ("{namespace}name", or a plain name).
    """
    depth = -1
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=False):
            if event == "start":
                depth += 1
                if depth == 0 and element.tag != expected_root:
                    found = local_name(element.tag)
                    raise ImportFailed(
                        f"not the expected format: the document starts with <{found}>"
                    )
                yield event, element, depth
            else:
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
        raise ImportFailed(
            f"malformed XML at line {line}, column {column + 1}: {reason}"
        ) from None


def local_name(tag):
    return tag.rpartition("}")[2]


def text_of(element, tag, default=""):
    """The text of element's first child called tag, or default when it is absent or empty."""
    child = element.find(tag)
    if child is None or child.text is None:
        return default
    return child.text
