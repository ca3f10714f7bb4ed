"""Admin for threads and posts; tree writes stay in forum/trees.py, so posts are view-only."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator

from .models import Post, Thread

# Deeper posts share the last step: the changelist stays readable on a narrow screen.
INDENTED_LEVELS = 12


class NoDeleteMixin:
    """No post or thread is ever hard-deleted: a status changes instead."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Thread)
class ThreadAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "post_count", "last_activity_at", "is_locked"]
    list_filter = ["is_locked"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["article"]
    readonly_fields = ["post_count", "last_activity_at", "external_id"]


@admin.register(Post)
class PostAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["tree_entry", "status", "thread", "created_at"]
    list_filter = ["status", "thread"]
    list_select_related = ["thread"]
    search_fields = ["author_name", "body"]
    # Tree order: each post right after its parent and its earlier siblings' replies.
    ordering = ["thread_id", "tree_id", "lft"]
    show_full_result_count = False  # one COUNT(*) fewer on a table of millions

    class Media:
        css = {"all": ["admin/parley-admin.css"]}

    @admin.display(description="post")
    def tree_entry(self, post):
        depth = min(post.level, INDENTED_LEVELS)
        excerpt = Truncator(post.body).chars(80)
        return format_html(
            '<span class="parley-tree-entry parley-depth-{}">'
            '<span class="parley-tree-author">{}</span> {}</span>',
            depth,
            post.author_name or "(no name)",
            excerpt,
        )

    def has_add_permission(self, request):
        return False

    # Saving a post here would write its stale lft/rght outside the tree module's locks, and
    # body_html must be rendered by the services: the change page is view-only.
    def has_change_permission(self, request, obj=None):
        return False
