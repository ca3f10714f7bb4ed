from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self):
        from accounts import settings_page
        from forum import events
        from forum.rendering import folds

        from . import following, receivers, sections

        events.written.connect(receivers.on_written, dispatch_uid="notifications.on_written")
        folds.register(following.muted_ids)
        for section in sections.SECTIONS:
            settings_page.register(section)
