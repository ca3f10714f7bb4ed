"""Every form a page offers, sent with hostile values: never a 5xx, never a write when refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from . import FUZZ_SETTINGS
from .known_failures import FORM_SWEEP, Tally, attack_past_known
from .routes import site_routes
from .strategies import form_attacks
from .sweeps import form_sweep

ROUTES = site_routes()


def forms_sent_to(site, route):
    entries = site.catalogue.forms.get(route.route)
    if not entries:
        pytest.skip("no page offers a form that sends here")
    return entries


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_field_takes_each_kind_of_hostile_value(site, route):
    tally = Tally(route.route, FORM_SWEEP)
    for attack in form_sweep(forms_sent_to(site, route), site.scene):
        tally.send(site, attack)
    tally.conclude()


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_hostile_fields_together_absent_repeated_and_wrong_methods(site, route):
    entries = forms_sent_to(site, route)

    @FUZZ_SETTINGS
    @given(st.data())
    def send_mixed_form(data):
        attack = data.draw(form_attacks(entries, site.scene), label="attack")
        attack_past_known(site, route.route, attack)

    send_mixed_form()
