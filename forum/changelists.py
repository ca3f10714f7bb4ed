"""Admin changelists that refuse two kinds of hostile input Django 5.2 answers with a 500.

- A date-hierarchy year, month or day that datetime cannot hold (`?created_at__year=99999`, or
  9999, whose next year does not exist): Django's ticket #37357, fixed after 5.2.
- A selected row for an action that is no id at all (`_selected_action=x`), or one past the
  database's range: Django filters by it unchecked.

Both are refused the way the admin refuses any other bad filter or empty selection.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils.translation import gettext as _

from .ids import is_possible_pk


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


class ChangeListInputMixin:
    """For a ModelAdmin: its changelist refuses impossible dates and impossible selections."""

    def get_changelist(self, request, **kwargs):
        return DateHierarchyChangeList

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_possible_pk(self.model, pk) for pk in selected):
            message = _("Some of the selected items do not exist. No items have been changed.")
            self.message_user(request, message, messages.WARNING)
            return None
        return super().response_action(request, queryset)
