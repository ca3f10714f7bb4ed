"""What every page's head needs: the site's public origin, for canonical and share URLs."""

from django.conf import settings


def site(request):
    return {"site_url": settings.PARLEY_SITE_URL}
