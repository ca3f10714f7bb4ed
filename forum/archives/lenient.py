"""The lenient reader for damaged exports: a byte pre-pass, then lxml's recovering parser.

libxml2 (through lxml, a well-kept binding) recovers from most damage a real export carries:
forbidden control characters, mismatched or missing end tags, a file cut off mid-record. It
gives up, though, on a file whose first byte is not "<", drops an element whose attribute value
is unquoted (with the thread id a Disqus post carries there) and abandons a CDATA section at a
control character, so a small pre-pass repairs those three first. Every repair and every
error the parser recovered from is noted with its line.

The defences of the strict reader hold here too: entities are never resolved and a document
type declaring any is refused before the first record is read (libxml2 would still expand
internal entities, up to its own amplification limit, were they let through), nothing is
fetched from the network or the disk, huge_tree stays off, and xml_events bounds nesting and
record size whichever parser runs.
"""

import re
from dataclasses import dataclass, field

from lxml import etree

from . import ImportFailed

CHUNK = 16 * 1024  # as much as the strict parser reads at a time
MAX_CARRY = 1024 * 1024  # text without a ">" held back to repair a tag split between chunks
START_TAG = re.compile(rb"<[A-Za-z_][^<>]*>")
# An attribute and its value: quoted values are matched whole, so nothing inside one is taken
# for an attribute; a value without quotes runs up to white space or the end of its tag.
ATTRIBUTE = re.compile(rb"""(\s[^\s=/>"']+\s*=\s*)("[^"]*"|'[^']*'|[^\s"'<>=`]+?(?=\s|/?>\Z))""")
CUT_OFF = re.compile(r"Premature end of data in tag (\S+) line (\d+)")
UTF8_BOM = b"\xef\xbb\xbf"
# C0 controls XML 1.0 forbids. libxml2 would drop them, but one inside a CDATA section makes
# it abandon the section and the post around it. Never part of a UTF-8 multibyte sequence.
FORBIDDEN_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]+")


@dataclass
class Damage:
    """What the lenient reader repaired or lost, line by line, in the original file's lines."""

    notes: list[tuple[int, str]] = field(default_factory=list)
    line_offset: int = 0  # lines dropped with stray bytes before the first "<"
    cut_ends: set[tuple[str, int]] = field(default_factory=set)

    def note(self, line, message):
        self.notes.append((line + self.line_offset, message))

    def line(self, element):
        return (element.sourceline or 0) + self.line_offset

    def cut_off(self, record):
        """Whether the end of the file came before record's end: it is then incomplete."""
        return bool(self.cut_ends) and any(
            (etree.QName(element).localname, element.sourceline) in self.cut_ends
            for element in record.iter()
        )


def lenient_iterparse(source, damage):
    """(event, element) pairs, as iterparse gives them, of a file read leniently."""
    parsed = etree.iterparse(
        _Repaired(source, damage),
        events=("start", "end"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    errors_noted = 0
    started = False
    try:
        for event, element in parsed:
            if not started:
                _refuse_declarations(element.getroottree().docinfo)
                started = True
            log = parsed.error_log
            for error in list(log)[errors_noted:]:
                damage.note(error.line, error.message)
                if cut := CUT_OFF.match(error.message):
                    # By local name: lxml may rename a prefix once the root is cleared.
                    damage.cut_ends.add((cut[1].rpartition(":")[2], int(cut[2])))
            errors_noted = len(log)
            yield event, element
    except etree.XMLSyntaxError as error:
        raise ImportFailed(f"unreadable XML even leniently: {error}") from None
    if not started:
        raise ImportFailed("no XML element could be read from the file, even leniently")


def _refuse_declarations(docinfo):
    """Refuse, as the strict reader does, entity declarations and external references."""
    if docinfo.system_url or docinfo.public_id:
        raise ImportFailed(
            f"refused: the file refers to an external resource "
            f"({docinfo.system_url or docinfo.public_id})"
        )
    dtd = docinfo.internalDTD
    entities = list(dtd.iterentities()) if dtd is not None else []
    for entity in entities:
        if entity.system_url:
            raise ImportFailed(
                f"refused: the file declares an external entity ({entity.system_url}) "
                "that would read another file or address"
            )
    if entities:
        raise ImportFailed(
            "refused: the file defines XML entities (possible entity-expansion bomb)"
        )


class _Repaired:
    """A binary file read through the pre-pass: stray leading bytes and forbidden controls
    dropped, unquoted values quoted."""

    def __init__(self, source, damage):
        self.source, self.damage = source, damage
        self.started = False
        self.carry = b""
        self.lines_out = 0  # line ends passed on so far
        self.ended = False

    def read(self, size=CHUNK):
        while not self.ended:
            chunk = self.source.read(CHUNK)
            if not chunk:
                self.ended = True
                data, self.carry = self.carry, b""
                return self._passed(self._drop_controls(data))
            data = self._skip_leading_bytes(self.carry + chunk)
            if not self.started:
                self.carry = data
                continue
            cut = data.rfind(b">") + 1
            if cut == 0 and len(data) < MAX_CARRY:
                self.carry = data
                continue
            if cut == 0:
                cut = len(data)
            self.carry = data[cut:]
            return self._passed(self._quote_values(self._drop_controls(data[:cut])))
        return b""

    def _passed(self, data):
        self.lines_out += data.count(b"\n")
        return data

    def _skip_leading_bytes(self, data):
        if self.started:
            return data
        start = data.find(b"<")
        if start == -1 and len(data) < MAX_CARRY:
            return data  # nothing but stray bytes yet: wait for more
        start = len(data) if start == -1 else start
        self.started = True
        stray = data[:start]
        if stray and stray != UTF8_BOM:
            self.damage.line_offset = stray.count(b"\n")
            self.damage.notes.append(
                (1, f"{len(stray)} stray byte(s) before the XML declaration, left out")
            )
        return data[start:]

    def _drop_controls(self, data):
        def drop(controls):
            line = self.lines_out + data.count(b"\n", 0, controls.start()) + 1
            self.damage.note(
                line, f"{len(controls[0])} control character(s) XML forbids, left out"
            )
            return b""

        return FORBIDDEN_CONTROLS.sub(drop, data)

    def _quote_values(self, data):
        def quote_value(attribute):
            if attribute[2][:1] in (b'"', b"'"):
                return attribute[0]
            return attribute[1] + b'"' + attribute[2] + b'"'

        def quote_tag(tag):
            fixed = ATTRIBUTE.sub(quote_value, tag[0])
            if fixed != tag[0]:
                line = self.lines_out + data.count(b"\n", 0, tag.start()) + 1
                self.damage.note(line, "an attribute value without quotes, read as if quoted")
            return fixed

        return START_TAG.sub(quote_tag, data)
