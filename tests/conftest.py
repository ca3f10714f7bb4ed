import os

import pytest


def pytest_collection_modifyitems(config, items):
    """Under CI=true a test that needs PostgreSQL or a browser fails instead of skipping."""


@pytest.fixture
def ci():
    return os.environ.get("CI", "").lower() == "true"
