from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self):
        from forum import events

        from . import indexing

        # After the commit: a failing index write must never undo or fail the write itself.
        events.written.connect(indexing.on_write, dispatch_uid="search.indexing.on_write")
