"""Every URL pattern of the site, read from the resolver, and strategies for paths to it."""

import re
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from django.urls import URLResolver, converters, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import strategies as st

from .hostile import CONTROL, NUMBERS, TEXT, as_bytes, hostile

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Parameter:
    """A path converter's slot, and the literal word before it, which says what it names."""

    name: str
    converter: converters.StringConverter
    noun: str


@dataclass(frozen=True)
class Regex:
    pattern: str


@dataclass(frozen=True)
class Route:
    """One URL pattern: its route as ResolverMatch.route spells it, and its parts in order."""

    route: str
    parts: tuple

    def __str__(self):
        return f"/{self.route}"  # as a test's id: the home page's route is ""


def site_routes():
    """Every leaf pattern of the root URLconf, in the resolver's order."""
    return list(_walk(get_resolver(), "", ()))


def _walk(resolver, route, parts):
    for pattern in resolver.url_patterns:
        joined = URLResolver._join_route(route, str(pattern.pattern))
        pattern_parts = parts + _parts(pattern.pattern, after=parts)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, joined, pattern_parts)
        else:
            yield Route(joined, pattern_parts)


def _parts(pattern, *, after):
    if not isinstance(pattern, RoutePattern):
        return (Regex(pattern.regex.pattern),)
    parts, start = [], 0
    for match in PARAMETER.finditer(str(pattern)):
        parts.append(Literal(str(pattern)[start : match.start()]))
        name = match["parameter"]
        parts.append(Parameter(name, pattern.converters[name], _noun((*after, *parts))))
        start = match.end()
    parts.append(Literal(str(pattern)[start:]))
    return tuple(part for part in parts if part != Literal(""))


def _noun(parts):
    """The last word of the literal text right before a parameter: "post" in post/<int:pk>/."""
    text = ""
    for part in reversed(parts):
        if not isinstance(part, Literal):
            break
        text = part.text + text
    return text.strip("/").rpartition("/")[2]


# Values each converter accepts, chosen to hurt: zeros, huge numbers, long and odd slugs.
MATCHING = {
    converters.IntConverter: st.one_of(
        st.sampled_from(["0", "00", "007", "9" * 30, str(2**63), str(2**31)]),
        st.integers(min_value=0).map(str),
    ),
    converters.SlugConverter: st.one_of(
        st.sampled_from(["-", "_", "0", "-" * 3, "a" * 300]),
        st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
    ),
    converters.PathConverter: hostile(CONTROL, NUMBERS, TEXT, ["a/b/c", "..", "%2F"]),
    converters.StringConverter: hostile(CONTROL, NUMBERS, TEXT),
}


def path_values(parameter, scene):
    """Real values of the objects the parameter names, and hostile values of its shape."""
    real = scene.real_values(parameter.noun, parameter.name)
    shaped = MATCHING.get(type(parameter.converter))
    if shaped is None:
        shaped = st.from_regex(parameter.converter.regex, fullmatch=True)
    return st.one_of(st.sampled_from(real), shaped)


def paths(route, scene, *, real_only=False):
    """A path that the route matches (or, for a hostile value its converter refuses, nearly)."""
    pieces = []
    for part in route.parts:
        if isinstance(part, Literal):
            pieces.append(st.just(part.text))
        elif isinstance(part, Parameter):
            values = path_values(part, scene)
            if real_only:
                values = st.sampled_from(scene.real_values(part.noun, part.name))
            pieces.append(values.map(quote_path))
        else:
            pieces.append(st.from_regex(part.pattern, fullmatch=True).map(quote_path))
    return st.tuples(*pieces).map(lambda texts: "/" + "".join(texts))


def quote_path(value):
    """Percent-encode a value for a path, keeping its slashes: the server decodes it back."""
    return quote_from_bytes(as_bytes(value), safe="/")
