"""The page a form sends its user back to: its "next" field, when that is a path on this site.

Redirect to it with HttpResponseRedirect, never redirect(), which looks a bare word up as a
URL name and fails.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def next_page(request, default: str) -> str:
    """The form's "next" address if it is a path on this site, else default."""
    page = request.POST.get("next") or request.GET.get("next", "")
    # A path only: a bare "abc" or "x#y" would be read relative to the form's own address.
    is_path = page.startswith("/") and url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return page if is_path else default
