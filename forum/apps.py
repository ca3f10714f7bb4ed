from django.apps import AppConfig
from django.conf import settings


class ForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forum"

    def ready(self):
        from django.db.models.signals import pre_delete

        from . import authors, events, moderators
        from .rendering import cache, roots

        events.writing.connect(cache.bump_versions, dispatch_uid="forum.rendering.bump_versions")
        events.writing.connect(
            roots.bump_roots_versions, dispatch_uid="forum.rendering.bump_roots_versions"
        )
        # Accounts are Django's model: its deletion is announced from the signal it sends.
        pre_delete.connect(
            authors.announce_account_deleted,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="forum.authors.announce_account_deleted",
        )
        # So are groups and permissions: who moderates is announced from theirs.
        moderators.connect()
