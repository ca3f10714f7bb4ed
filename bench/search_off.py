from search.apps import SearchConfig


class SearchWithoutIndexing(SearchConfig):
    """The search app with its receiver left unconnected, for bench/settings_without_search.py."""

    def ready(self):
        pass
