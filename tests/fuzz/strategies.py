"""Hypothesis strategies that mix the trouble: several hostile fields at once, absent and
repeated fields, real and hostile path values, any method, any visitor."""

from hypothesis import strategies as st

from .hostile import ABSENT, CONTROL, NEXT_SHAPES, NUMBERS, TEXT, hostile
from .probe import Attack
from .routes import paths
from .scene import ROLES
from .sweeps import UNTOUCHED, form_request, offered, sweep_values

METHODS = ["GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]
# Parameters many views read, asked of every route besides those its links carry.
COMMON_QUERY_NAMES = ["next", "page", "sort", "q", "o", "p"]
TREATMENTS = ["as offered", "as offered", "hostile", "absent", "twice"]


@st.composite
def url_attacks(draw, route, site):
    """Any role and method, real or hostile path values, hostile query and body parameters."""
    query_names = sorted(site.catalogue.query_names.get(route.route, ())) + COMMON_QUERY_NAMES
    field_names = sorted(
        {name for entry in site.catalogue.forms.get(route.route, ()) for name in entry.form.fields}
    )
    method = draw(st.sampled_from(METHODS))
    query = st.tuples(st.sampled_from(query_names) | hostile(), hostile(NEXT_SHAPES, NUMBERS))
    body = st.tuples(
        st.sampled_from(field_names or COMMON_QUERY_NAMES) | hostile(),
        hostile(NEXT_SHAPES, NUMBERS, TEXT),
    )
    has_body = method not in ("GET", "HEAD", "OPTIONS")
    return Attack(
        draw(st.sampled_from(ROLES)),
        method,
        draw(paths(route, site.scene)),
        query=tuple(draw(st.lists(query, max_size=3))),
        body=tuple(draw(st.lists(body, max_size=4))) if has_body else (),
    )


@st.composite
def form_attacks(draw, entries, scene):
    """A form of the catalogue with some fields hostile, some left out, some sent twice."""
    entry = draw(st.sampled_from(entries))
    button = draw(st.sampled_from(range(len(entry.form.buttons) or 1)))
    pairs = {}
    for name, values in offered(entry.form, scene, button).items():
        treatment = "as offered" if name in UNTOUCHED else draw(st.sampled_from(TREATMENTS))
        hostile_value = field_values(name, entry.form.fields.get(name), values)
        if treatment == "as offered":
            pairs[name] = values
        elif treatment == "hostile":
            pairs[name] = [draw(hostile_value)]
        elif treatment == "twice":
            pairs[name] = [*values, draw(hostile_value)]
    if draw(st.booleans()):
        pairs.setdefault("next", []).append(draw(hostile(NEXT_SHAPES)))
    method = draw(st.sampled_from([entry.form.method] * 3 + METHODS))
    return form_request(entry, pairs, method=method)


def field_values(name, field, offered_values):
    """The field's own kinds of trouble and its choices first, then any hostile value."""
    preferred = [v for v in sweep_values(name, field, offered_values) if v is not ABSENT]
    if field is not None:
        preferred += field.choices
    return hostile(preferred, CONTROL, NUMBERS, TEXT)
