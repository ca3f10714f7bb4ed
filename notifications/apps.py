from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self):
        from accounts import settings_page
        from forum import events
        from forum.rendering import folds, frames, reader_pages

        from . import context_processors, following, receivers, sections

        events.written.connect(receivers.on_written, dispatch_uid="notifications.on_written")
        folds.register(following.muted_ids)
        # What a discussion page's header and follow button show of their reader.
        frames.register("unread_notifications", context_processors.unread_on_page)
        frames.register("thread_followed", following.follows)
        # The same, and whom they mute, for a page kept for its reader alone.
        for name, state in following.page_states().items():
            reader_pages.register(name, state)
        for section in sections.SECTIONS:
            settings_page.register(section)
