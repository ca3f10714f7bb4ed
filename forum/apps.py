from django.apps import AppConfig


class ForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forum"

    def ready(self):
        from . import events
        from .rendering import cache, roots

        events.writing.connect(cache.bump_versions, dispatch_uid="forum.rendering.bump_versions")
        events.writing.connect(
            roots.bump_roots_versions, dispatch_uid="forum.rendering.bump_roots_versions"
        )
