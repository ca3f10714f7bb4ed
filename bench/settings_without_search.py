"""Parley's settings with no index kept: the baseline for what indexing adds to an import.

The search app stays installed (its URLs and tables are part of the site) but its AppConfig is
one that connects no receiver, so the import's announcement reaches no index.
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [
    "bench.search_off.SearchWithoutIndexing" if app == "search" else app
    for app in INSTALLED_APPS  # noqa: F405
]
