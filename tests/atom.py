"""Atom feeds read as a feed reader reads them: the feed's links and its entries."""

from dataclasses import dataclass
from xml.etree import ElementTree

NS = {"atom": "http://www.w3.org/2005/Atom"}


@dataclass(frozen=True)
class Entry:
    title: str
    link: str
    summary: str  # the HTML, unescaped once as a reader does
    author: str
    author_link: str | None


@dataclass(frozen=True)
class Feed:
    title: str
    links: dict  # rel -> href
    entries: list[Entry]

    @property
    def titles(self):
        return [entry.title for entry in self.entries]


def read_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    return Feed(
        title=root.findtext("atom:title", namespaces=NS),
        links={link.get("rel"): link.get("href") for link in root.findall("atom:link", NS)},
        entries=[_entry(entry) for entry in root.findall("atom:entry", NS)],
    )


def _entry(entry):
    return Entry(
        title=entry.findtext("atom:title", namespaces=NS),
        link=entry.find("atom:link", NS).get("href"),
        summary=entry.findtext("atom:summary", default="", namespaces=NS),
        author=entry.findtext("atom:author/atom:name", default="", namespaces=NS),
        author_link=entry.findtext("atom:author/atom:uri", namespaces=NS),
    )
