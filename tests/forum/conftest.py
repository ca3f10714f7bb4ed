"""Fixtures shared by the forum's moderation tests; a test module may define its own instead."""

import pytest

from tests.factories import make_moderator, make_thread


@pytest.fixture
def moderator(client):
    """A staff moderator, logged in on the test client."""
    user = make_moderator("mod", staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def thread():
    return make_thread("Orbital stations")
