from django.contrib import admin

from forum.changelists import ChangeListInputMixin

from .models import Article


@admin.register(Article)
class ArticleAdmin(ChangeListInputMixin, admin.ModelAdmin):
    list_display = ["title", "published_at", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
