from django.shortcuts import render

from .forms import SearchForm


def results(request):
    """The search page: the form, and a page of results once there is a query."""
    form = SearchForm(request.GET or None, user=request.user)
    page = form.search() if form.is_bound and form.is_valid() else None
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "search/results.html", {"form": form, "page": page}, status=status)
