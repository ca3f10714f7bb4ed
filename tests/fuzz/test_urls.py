"""Every URL pattern, filled with hostile and real values: never a 5xx, never a refused write."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from . import FUZZ_SETTINGS
from .known_failures import URL_SWEEP, Tally, attack_past_known
from .routes import site_routes
from .strategies import url_attacks
from .sweeps import url_sweep

ROUTES = site_routes()


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_path_and_query_parameter_takes_each_kind_of_hostile_value(site, route):
    attacks = list(url_sweep(route, site))
    if not attacks:
        pytest.skip("no path parameter, and no link carries a query parameter here")
    tally = Tally(route.route, URL_SWEEP)
    for attack in attacks:
        tally.send(site, attack)
    tally.conclude()


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_any_role_method_path_and_query(site, route):
    @FUZZ_SETTINGS
    @given(st.data())
    def send_request(data):
        attack_past_known(site, route.route, data.draw(url_attacks(route, site), label="attack"))

    send_request()
