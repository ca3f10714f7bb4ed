from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self):
        from django.db.backends.signals import connection_created

        from forum import events

        from . import indexing
        from .backends import sqlite

        connection_created.connect(
            sqlite.register_text_functions, dispatch_uid="search.backends.sqlite.functions"
        )
        # After the commit: a failing index write must never undo or fail the write itself.
        events.written.connect(indexing.on_write, dispatch_uid="search.indexing.on_write")
