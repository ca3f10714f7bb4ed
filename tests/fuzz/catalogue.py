"""What each visitor is offered: the forms of every page, and the query parameters of its links.

Found by visiting every URL pattern, filled with the scene's real objects, as each visitor, so a
new view, form or field is attacked without a line of the fuzz suite changing.
"""

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, resolve

from .html_forms import Form, page_forms
from .routes import Literal, Parameter, quote_path
from .scene import ROLES

FILLS_PER_ROUTE = 12  # enough to meet each role's own post and someone else's


@dataclass(frozen=True)
class FormOnPage:
    role: str
    page: str
    form: Form


@dataclass
class Catalogue:
    # The route's path pieces (literals and values) of a page that answered the role 200.
    pages: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    forms: dict[str, list[FormOnPage]] = field(default_factory=lambda: defaultdict(list))
    # Query parameters seen in links to each route, e.g. the admin's filters and orderings.
    query_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def build_catalogue(scene, routes):
    """Visit each route with real values as each role: one page of each answering 200 is read."""
    catalogue = Catalogue()
    seen_forms = set()
    for route, role in itertools.product(routes, ROLES):
        for pieces in real_fills(route, scene):
            path = "/" + "".join(pieces)
            status, html = visit(scene, role, path)
            if status not in (200, 403, 404):
                break  # turned away whatever the object: sent to log in, or the wrong method
            if html is None:
                continue  # perhaps another object is the role's to see
            catalogue.pages[route.route, role] = pieces
            for form in page_forms(html, path):
                target = route_of(form.action)
                key = (target, role, form.method, tuple(form.fields), tuple(form.buttons))
                if target is not None and key not in seen_forms:
                    seen_forms.add(key)
                    catalogue.forms[target].append(FormOnPage(role, path, form))
            for href in page_links(html):
                if (target := route_of(urljoin(path, href))) is not None:
                    catalogue.query_names[target].update(
                        name for name, _ in parse_qsl(urlsplit(href).query)
                    )
            break
    for entries in catalogue.forms.values():
        entries.sort(key=lambda entry: ROLES.index(entry.role))  # the least trusted first
    return catalogue


def real_fills(route, scene):
    """The route's pieces filled with real objects; none for a route given by a regex."""
    if any(not isinstance(part, Literal | Parameter) for part in route.parts):
        return []
    choices = [
        [part.text]
        if isinstance(part, Literal)
        else [quote_path(v) for v in scene.real_values(part.noun, part.name)]
        for part in route.parts
    ]
    return list(itertools.islice(itertools.product(*choices), FILLS_PER_ROUTE))


def visit(scene, role, path):
    """The status, and the HTML of a page that answered 200; the visit is rolled back."""
    with transaction.atomic():
        cache.clear()
        try:
            response = scene.client(role).get(path)
        except Exception:
            response = None
        transaction.set_rollback(True)
    if response is None:
        return 500, None
    html = response.get("Content-Type", "").startswith("text/html")
    if response.status_code != 200 or not html:
        return response.status_code, None
    return 200, response.content.decode()


def route_of(url):
    """The route a URL on this site resolves to, or None."""
    address = urlsplit(url)
    if address.netloc and address.netloc != "testserver":
        return None
    try:
        return resolve(address.path).route
    except Resolver404:
        return None


def page_links(html):
    parser = LinkParser()
    parser.feed(html)
    return parser.hrefs


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)
