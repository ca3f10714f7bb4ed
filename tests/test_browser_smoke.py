import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_opens_in_chromium_with_the_sites_title(live_server, page):
    make_article("Cosmonauts and their stations")
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert "Parley" in page.title()
    assert "Cosmonauts and their stations" in page.locator("main").inner_text()
