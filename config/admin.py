"""What every ModelAdmin of Parley's admin site shares: no 500 for hostile input."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils.translation import gettext as _

from forum.ids import is_possible_pk


class DateHierarchyChangeList(ChangeList):
    def get_filters(self, request):
        if self.date_hierarchy and not date_hierarchy_holds(request.GET, self.date_hierarchy):
            raise IncorrectLookupParameters(f"{self.date_hierarchy}: no such date")
        return super().get_filters(request)


def date_hierarchy_holds(query, field):
    """Whether the chosen day, month or year, and the one after it, are dates datetime holds."""
    year, month, day = (query.get(f"{field}__{part}") for part in ("year", "month", "day"))
    if year is None:
        return True
    try:
        start = datetime(int(year), int(month or 1), int(day or 1))
        # The end Django computes for the period shown.
        if day:
            start + timedelta(days=1)
        elif month:
            start + timedelta(days=32)
        else:
            start.replace(year=start.year + 1)
    except (ValueError, OverflowError):
        return False
    return True


class HostileInputMixin:
    """For every ModelAdmin: refuses the input Django 5.2 would answer with a 500.

    - A NUL byte in a filter or a search, which PostgreSQL cannot compare to text.
    - A date-hierarchy year, month or day that datetime cannot hold (`?created_at__year=99999`,
      or 9999, whose next year does not exist): Django's ticket #37357, fixed after 5.2.
    - A selected row for an action that is no id at all (`_selected_action=x`), or one past the
      database's range: Django filters by it unchecked.
    - An object id past the database's range where the primary key is a relation (a
      profile's user): Django range-checks only its own integer keys.
    Each is refused the way the admin refuses any other bad filter, selection or id.
    """

    def lookup_allowed(self, lookup, value, request):
        # Django hands every filter value from the query string here before building a query;
        # a refusal answers 400, where the query itself would fail on PostgreSQL with a 500.
        return "\x00" not in value and super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        # The changelist's search form refuses NUL itself; the autocomplete view does not.
        if "\x00" in search_term:
            return queryset.none(), False  # no stored text holds one
        return super().get_search_results(request, queryset, search_term)

    def get_object(self, request, object_id, from_field=None):
        # Django range-checks an id only for its own integer keys: a key that is a relation
        # (a profile's user) reached SQLite out of range, an OverflowError.
        if from_field is None and not is_possible_pk(self.model, object_id):
            return None  # the admin's own answer to an id that names no row
        return super().get_object(request, object_id, from_field)

    def get_changelist(self, request, **kwargs):
        return DateHierarchyChangeList

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_possible_pk(self.model, pk) for pk in selected):
            message = _("Some of the selected items do not exist. No items have been changed.")
            self.message_user(request, message, messages.WARNING)
            return None
        return super().response_action(request, queryset)
