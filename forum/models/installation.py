import uuid

from django.db import models


class Installation(models.Model):
    """This site's own id, made once: an export carries it, so an import knows its own posts."""

    # Random rather than read from settings: an address or a secret key may change, this never.
    site_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"site {self.site_id}"


def this_site_id() -> str:
    """The id of this installation, made by a migration, or on first use after a flush."""
    installation = Installation.objects.order_by("pk").first()
    if installation is None:
        installation = Installation.objects.create()
    return str(installation.site_id)
