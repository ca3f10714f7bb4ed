from django.contrib import admin

from config.admin import NulFreeLookupsMixin

from .models import Article


@admin.register(Article)
class ArticleAdmin(NulFreeLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "published_at", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
