"""Rendered pages read as a browser builds them: elements, what encloses them, their text."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}  # fmt: skip


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict
    parent: "Element | None"
    text_start: int
    text_end: int = 0
    classes: set = field(init=False)

    def __post_init__(self):
        self.classes = set((self.attrs.get("class") or "").split())

    def ancestors(self):
        """Enclosing elements, nearest first."""
        element = self.parent
        while element is not None:
            yield element
            element = element.parent

    def nearest(self, tag):
        return next((element for element in self.ancestors() if element.tag == tag), None)


class Page(HTMLParser):
    """A whole page parsed once; fails on an end tag that does not close the open element."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.by_id, self.elements, self._texts, self._open = {}, [], [], []
        self.feed(html)
        self.close()
        if self._open:
            raise AssertionError(f"unclosed elements: {[e.tag for e in self._open][-5:]}")

    def handle_starttag(self, tag, attrs):
        parent = self._open[-1] if self._open else None
        element = Element(tag, dict(attrs), parent, len(self._texts))
        self.elements.append(element)
        if "id" in element.attrs:
            if element.attrs["id"] in self.by_id:
                raise AssertionError(f"duplicate id {element.attrs['id']!r}")
            self.by_id[element.attrs["id"]] = element
        if tag in VOID_ELEMENTS:
            element.text_end = element.text_start
        else:
            self._open.append(element)

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if not self._open or self._open[-1].tag != tag:
            open_tag = self._open[-1].tag if self._open else None
            raise AssertionError(f"</{tag}> closes <{open_tag}> at line {self.getpos()[0]}")
        self._open.pop().text_end = len(self._texts)

    def handle_data(self, data):
        self._texts.append(data)

    def text(self, element_or_id):
        """The text inside an element (or the element with this id), as one string."""
        element = self.by_id.get(element_or_id, element_or_id)
        return "".join(self._texts[element.text_start : element.text_end])

    def find_all(self, tag, class_name=None):
        return [
            element
            for element in self.elements
            if element.tag == tag and (class_name is None or class_name in element.classes)
        ]
