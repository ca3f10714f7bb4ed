"""One scene for the whole fuzz package, built once and rolled back at its end; each request in
it runs in a savepoint of its own, so every request meets the same rows."""

import logging
from dataclasses import dataclass

import pytest
from django.db import transaction

from .catalogue import Catalogue, build_catalogue
from .probe import snapshot
from .routes import site_routes
from .scene import Scene, build_scene


@dataclass
class FuzzSite:
    scene: Scene
    catalogue: Catalogue
    baseline: dict  # every watched row before any attack


@pytest.fixture(scope="package")
def quiet_refusals():
    """Thousands of 4xx answers would each log a warning; errors (5xx) are still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="package")
def fuzz_site(quiet_refusals, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        scene = build_scene()
        yield FuzzSite(scene, build_catalogue(scene, site_routes()), snapshot())
        transaction.set_rollback(True)


@pytest.fixture
def site(fuzz_site, db):
    """The fuzz scene, inside the test's own transaction."""
    return fuzz_site
