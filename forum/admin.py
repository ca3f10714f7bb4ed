"""Admin for threads and posts; tree writes stay in forum/trees, so posts are view-only."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from config.admin import HostileInputMixin

from . import events, moderation
from .archives.admin import ImportCommentsMixin
from .ids import is_possible_pk
from .models import Post, Thread
from .moderation import admin as moderation_admin  # registers the audit log, flag and ban admins

# Deeper posts share the last step: the changelist stays readable on a narrow screen.
INDENTED_LEVELS = 12
# The query parameter of the Post changelist's thread filter (Django's name for it).
THREAD_PARAMETER = "thread__id__exact"


def thread_posts_url(thread):
    """The Post changelist showing only this thread's posts."""
    query = urlencode({THREAD_PARAMETER: thread.pk})
    return f"{reverse('admin:forum_post_changelist')}?{query}"


class ChosenThreadFilter(admin.RelatedFieldListFilter):
    """Posts by thread, the sidebar naming only the chosen thread and never all of them."""

    # A sidebar of every thread broke django-machina's admin at 120,000 topics (its issue #98).
    def field_choices(self, field, request, model_admin):
        # What is not a thread's id is left out here; queryset() reports it as a bad filter.
        chosen = [value for value in self.lookup_val or () if is_possible_pk(Thread, value)]
        return list(Thread.objects.filter(pk__in=chosen).values_list("pk", "title"))

    # Django filters only by the filters it shows: shown whenever a thread is asked for.
    def has_output(self):
        return bool(self.lookup_val)

    def queryset(self, request, queryset):
        # An id past the database's range overflows SQLite on a foreign key: a bad filter.
        if not all(is_possible_pk(Thread, value) for value in self.lookup_val or ()):
            raise IncorrectLookupParameters(f"{self.lookup_kwarg}: no such thread")
        return super().queryset(request, queryset)


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
    HostileInputMixin, moderation_admin.ModerateActionsMixin, NoDeleteMixin, admin.ModelAdmin
):
    list_display = ["title", "post_count", "last_activity_at", "is_locked", "posts_link"]
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
        "posts_link",
    ]
    actions = ["lock", "unlock", "premoderation_on", "premoderation_off"]

    def save_model(self, request, obj, form, change):
        before = Thread.objects.filter(pk=obj.pk).values_list("article_id", flat=True).first()
        super().save_model(request, obj, form, change)
        events.announce(
            events.Write.THREAD_EDITED,
            threads=[obj],
            articles={before, obj.article_id} - {None},
            whole_threads=True,
        )

    @admin.display(description=_("posts"))
    def posts_link(self, thread):
        if thread.pk is None:
            return self.get_empty_value_display()  # a thread being added has no posts yet
        return format_html('<a href="{}">{}</a>', thread_posts_url(thread), _("Its posts"))

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
    HostileInputMixin,
    ImportCommentsMixin,
    moderation_admin.PostModerationMixin,
    NoDeleteMixin,
    admin.ModelAdmin,
):
    list_display = ["tree_entry", "status", "thread_link", "created_at"]
    list_filter = [
        "status",
        moderation_admin.OpenFlagsFilter,
        # Imported posts whose date the importer had to supply, for a moderator to check.
        "dated_by_importer",
        ("thread", ChosenThreadFilter),
    ]
    list_select_related = ["thread"]
    search_fields = ["author_name", "body", "thread__title"]
    search_help_text = _("Searches the author, the text and the thread's title.")
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

    @admin.display(description=_("thread"), ordering="thread")
    def thread_link(self, post):
        return format_html('<a href="{}">{}</a>', thread_posts_url(post.thread), post.thread)

    def has_add_permission(self, request):
        return False

    # Saving a post here would write its stale lft/rght outside the tree module's locks, and
    # body_html must be rendered by the services: the change page is view-only.
    def has_change_permission(self, request, obj=None):
        return False
