"""Admin for threads and posts; tree writes stay in forum/trees, so posts are view-only."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import moderation
from .archives.admin import ImportCommentsMixin
from .changelists import ChangeListInputMixin
from .models import Post, Thread
from .moderation import admin as moderation_admin  # registers the audit log, flag and ban admins

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
class ThreadAdmin(
    ChangeListInputMixin, moderation_admin.ModerateActionsMixin, NoDeleteMixin, admin.ModelAdmin
):
    list_display = ["title", "post_count", "last_activity_at", "is_locked"]
    list_filter = ["is_locked", "is_premoderated"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["article"]
    # Locks and pre-moderation change only through the actions, which write the audit log.
    readonly_fields = [
        "post_count",
        "last_activity_at",
        "external_id",
        "is_locked",
        "lock_reason",
        "is_premoderated",
    ]
    actions = ["lock", "unlock", "premoderation_on", "premoderation_off"]

    @admin.action(description=_("Lock the selected threads"), permissions=["moderate"])
    def lock(self, request, queryset):
        self._act_on_each(request, queryset, moderation.lock_thread, target="thread", reason="")

    @admin.action(description=_("Unlock the selected threads"), permissions=["moderate"])
    def unlock(self, request, queryset):
        self._act_on_each(request, queryset, moderation.unlock_thread, target="thread")

    @admin.action(
        description=_("Hold new posts in the selected threads for moderation"),
        permissions=["moderate"],
    )
    def premoderation_on(self, request, queryset):
        self._act_on_each(
            request, queryset, moderation.set_premoderation, target="thread", enabled=True
        )

    @admin.action(
        description=_("Stop holding new posts in the selected threads"), permissions=["moderate"]
    )
    def premoderation_off(self, request, queryset):
        self._act_on_each(
            request, queryset, moderation.set_premoderation, target="thread", enabled=False
        )


@admin.register(Post)
class PostAdmin(
    ChangeListInputMixin,
    ImportCommentsMixin,
    moderation_admin.PostModerationMixin,
    NoDeleteMixin,
    admin.ModelAdmin,
):
    list_display = ["tree_entry", "status", "thread", "created_at"]
    list_filter = ["status", moderation_admin.OpenFlagsFilter, "thread"]
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
