from django.contrib import admin

from config.admin import HostileInputMixin
from forum import events
from forum.models import Thread

from .models import Article


@admin.register(Article)
class ArticleAdmin(HostileInputMixin, admin.ModelAdmin):
    list_display = ["title", "published_at", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The admin's view runs in a transaction: receivers hear of it once that commits.
        events.announce(
            events.Write.ARTICLE_EDITED,
            articles=[obj],
            threads=Thread.objects.filter(article=obj).values_list("pk", flat=True),
            whole_threads=True,
        )

    def delete_model(self, request, obj):
        self._announce_deleted(Article.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._announce_deleted(queryset)
        super().delete_queryset(request, queryset)

    def _announce_deleted(self, articles):
        # Read before the delete: the threads stay, losing their article (SET_NULL).
        events.announce(
            events.Write.ARTICLE_DELETED,
            articles=articles.values_list("pk", flat=True),
            threads=Thread.objects.filter(article__in=articles).values_list("pk", flat=True),
            whole_threads=True,
        )
