"""What every ModelAdmin of Parley's admin site shares."""


class NulFreeLookupsMixin:
    """Refuses filters and searches holding a NUL byte, which PostgreSQL cannot compare to text."""

    def lookup_allowed(self, lookup, value, request):
        # Django hands every filter value from the query string here before building a query;
        # a refusal answers 400, where the query itself would fail on PostgreSQL with a 500.
        return "\x00" not in value and super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        # The changelist's search form refuses NUL itself; the autocomplete view does not.
        if "\x00" in search_term:
            return queryset.none(), False  # no stored text holds one
        return super().get_search_results(request, queryset, search_term)
