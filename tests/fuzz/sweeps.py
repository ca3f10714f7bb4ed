"""The sweeps: each form field, path parameter and query parameter given one value of each kind
of trouble, one at a time, the rest of the request as a person would send it."""

import re
from urllib.parse import parse_qsl, urlsplit

from .catalogue import real_fills
from .hostile import ABSENT, SWEEP, SWEEP_NEXT, SWEEP_TEXT
from .probe import CSRF_FIELD, Attack
from .routes import Parameter, quote_path
from .scene import ROLES

TYPED_FIELDS = {"textarea", "text", "search", "email", "password", "url", "tel", ""}
CHOICE_FIELDS = {"checkbox", "radio", "select"}
PLAIN_TEXT = "Plain words, nothing more."
PLAUSIBLE = {
    "email": "fuzz@example.org",
    "number": "1",
    "url": "https://example.org/",
    "date": "2030-01-01",
    "time": "12:00",
    "datetime-local": "2030-01-01T12:00",
}
UNTOUCHED = {CSRF_FIELD}  # the test client does not check it: changing it tests nothing


# What a person would send


def offered(form, scene, button=0):
    """The form as a person sends it: values as offered, blank fields they see filled in, sent
    with one of its buttons (by default the first, which the Enter key presses)."""
    pairs = {}
    for field in form.fields.values():
        values = [value for value in field.values if value != ""]
        if field.kind in CHOICE_FIELDS:
            # A person picks something: the first real choice, where none is made yet.
            choices = [choice for choice in field.choices if choice != ""]
            values = values or choices[:1] or list(field.values)
        elif field.seen and not values:
            values = [plausible(field, scene)]
        else:
            values = list(field.values)
        pairs[field.name] = values
    if form.buttons and form.buttons[button]:
        name, value = form.buttons[button]
        pairs[name] = [value]
    return pairs


def plausible(field, scene):
    if "password" in field.name or field.kind == "password":
        return scene.password
    if field.name == "username":
        return "newcomer"
    return PLAUSIBLE.get(field.kind, PLAIN_TEXT)


def form_request(entry, pairs, *, method=None):
    """The attack sending these pairs through the form, to its action, as the page's visitor."""
    form = entry.form
    action = urlsplit(form.action)
    query = tuple(parse_qsl(action.query, keep_blank_values=True))
    flat = tuple((name, value) for name, values in pairs.items() for value in values)
    method = method or form.method
    if method == "GET":
        return Attack(entry.role, method, action.path, query=query + flat)
    return Attack(
        entry.role, method, action.path, query=query, body=flat, multipart=form.multipart
    )


# Sweeps: each field, and each path and query parameter, meets each kind of trouble once


def form_sweep(entries, scene):
    """Each distinct form, swept once, as the least trusted visitor offered it."""
    swept = set()
    for entry in entries:  # in the order of ROLES: anonymous, member, moderator
        form = entry.form
        shape = (form.method, tuple(form.fields), tuple(form.buttons))
        if shape not in swept:
            swept.add(shape)
            yield from one_form_sweep(entry, scene)


def one_form_sweep(entry, scene):
    """The form as offered, with each button, with nothing at all, then with one field at a
    time made hostile."""
    base = offered(entry.form, scene)
    yield form_request(entry, base)
    for button in range(1, len(entry.form.buttons)):
        yield form_request(entry, offered(entry.form, scene, button))
    yield form_request(entry, {})
    names = [name for name in base if name not in UNTOUCHED]
    for name in [*names, *(["next"] if "next" not in base else [])]:
        for value in sweep_values(name, entry.form.fields.get(name), base.get(name, [])):
            pairs = {key: values for key, values in base.items() if key != name}
            if value is not ABSENT:
                pairs[name] = [value]
            elif name not in base:
                continue
            yield form_request(entry, pairs)


def sweep_values(name, field, offered_values):
    """What a field meets: every kind of trouble, and addresses or prose where it takes them."""
    values = list(SWEEP)
    if name == "next" or any(str(value).startswith("/") for value in offered_values):
        values += SWEEP_NEXT
    if field is not None and field.seen and field.kind in TYPED_FIELDS:
        values += SWEEP_TEXT
    return values


def url_sweep(route, site):
    """Each path parameter, then each query parameter, given each kind of trouble it takes."""
    fills = real_fills(route, site.scene)
    for role in ROLES:
        pieces = site.catalogue.pages.get((route.route, role)) or next(iter(fills), None)
        if pieces is None:
            continue  # a route given by a regular expression: the random tests fill it
        for index, part in enumerate(route.parts):
            if isinstance(part, Parameter):
                for value in SWEEP[1:]:
                    if matches(part.converter, value):
                        hostile_pieces = (*pieces[:index], quote_path(value), *pieces[index + 1 :])
                        yield Attack(role, "GET", "/" + "".join(hostile_pieces))
        # Each parameter a page's links carry to the route, e.g. the admin's filters.
        for name in sorted(site.catalogue.query_names.get(route.route, ())):
            for value in SWEEP[1:] + (SWEEP_NEXT if name == "next" else []):
                yield Attack(role, "GET", "/" + "".join(pieces), query=((name, value),))


def matches(converter, value):
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    return re.fullmatch(converter.regex, text) is not None
