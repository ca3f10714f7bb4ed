from django.conf import settings
from django.db import models


class TreeVersion(models.Model):
    """The version of one comment tree's rendered HTML, changed by every write to that tree.

    A write changes it inside its own transaction (forum.rendering.cache.bump_versions), so a
    busy discussion re-renders only the tree that was written to, and every worker sees the new
    version at the write's commit. A tree without a row has never been written since it was
    rendered first: version 0.
    """

    tree_id = models.PositiveIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField()

    def __str__(self):
        return f"tree {self.tree_id} at version {self.version}"


class ReaderVersion(models.Model):
    """The version of what one account's own pages show of its standing, changed by every
    write announced for it (a ban, joining or leaving the moderators), inside that write.

    A reader's kept page (forum.rendering.reader_pages) is served only while it is unchanged.
    An account without a row has had no such write: version 0."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, primary_key=True)
    version = models.PositiveBigIntegerField()

    def __str__(self):
        return f"account {self.user_id} at version {self.version}"
