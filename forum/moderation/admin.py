"""Admin for the audit log, flags and bans, and the moderation actions the Post admin offers.

Every action here calls the same function in forum.moderation as the moderation pages, so it
takes the same locks and writes the same audit record.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from config.admin import HostileInputMixin

from .. import moderation
from ..models import Ban, Flag, ModerationRecord, Post, can_moderate

DONE_MESSAGES = {"post": _("%(count)d posts done."), "thread": _("%(count)d threads done.")}


class ModerateActionsMixin:
    """Actions marked permissions=["moderate"] need the forum.moderate_post permission."""

    def has_moderate_permission(self, request):
        return can_moderate(request.user)

    def _act_on_each(self, request, targets, action, *, target="post", **kwargs):
        """Run one moderation function per post (or thread); report what was done and refused."""
        done = 0
        for each in targets:
            try:
                action(**{target: each}, moderator=request.user, **kwargs)
            except ValidationError as refusal:
                self.message_user(request, f"{each}: {' '.join(refusal.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, DONE_MESSAGES[target] % {"count": done})


class ReadOnlyMixin:
    """Shown to read, never added, changed or deleted through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OpenFlagsFilter(admin.SimpleListFilter):
    title = _("open flags")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("Has open flags")), ("no", _("No open flags"))]

    def queryset(self, request, queryset):
        open_flags = Exists(Flag.objects.open().filter(post=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(open_flags)
        if self.value() == "no":
            return queryset.exclude(open_flags)
        return queryset


class PostModerationMixin(ModerateActionsMixin):
    """The moderation actions of the Post admin: add it to PostAdmin's bases."""

    actions = ["approve", "remove", "remove_with_replies", "mark_as_spam", "dismiss_flags"]

    @admin.action(description=_("Approve the selected posts"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._act_on_each(request, queryset, moderation.approve_post)

    @admin.action(description=_("Remove the selected posts"), permissions=["moderate"])
    def remove(self, request, queryset):
        self._act_on_each(request, queryset, moderation.remove_post, reason="")

    @admin.action(
        description=_("Remove the selected posts with all their replies"),
        permissions=["moderate"],
    )
    def remove_with_replies(self, request, queryset):
        self._act_on_each(request, queryset, moderation.remove_post, reason="", subtree=True)

    @admin.action(description=_("Mark the selected posts as spam"), permissions=["moderate"])
    def mark_as_spam(self, request, queryset):
        self._act_on_each(request, queryset, moderation.mark_spam)

    @admin.action(
        description=_("Dismiss the open flags of the selected posts"), permissions=["moderate"]
    )
    def dismiss_flags(self, request, queryset):
        self._act_on_each(request, queryset, moderation.dismiss_flags)


def _post_link(post):
    if post is None:
        return "—"
    url = reverse("admin:forum_post_change", args=[post.pk])
    return format_html('<a href="{}">{}</a>', url, Truncator(str(post)).chars(60))


@admin.register(ModerationRecord)
class ModerationRecordAdmin(HostileInputMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The audit log: moderators read it; nobody adds, edits or deletes a record here."""

    list_display = ["created_at", "moderator_label", "action", "post_link", "user_name", "thread"]
    list_filter = [
        "action",
        ("moderator", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        ("thread", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["post", "thread"]
    search_fields = ["moderator_name", "user_name", "reason", "thread__title"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "created_at",
        "moderator_name",
        "action",
        "post_link",
        "user_name",
        "thread",
        "reason",
        "details",
    ]
    readonly_fields = fields

    @admin.display(description=_("moderator"), ordering="moderator_name")
    def moderator_label(self, record):
        return record.moderator_name or _("(the site)")

    @admin.display(description=_("post"))
    def post_link(self, record):
        return _post_link(record.post)


class FlagStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("resolved", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(Flag)
class FlagAdmin(HostileInputMixin, ModerateActionsMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Readers' reports, read-only: moderators decide on the post, which resolves them."""

    list_display = ["post_link", "reason", "reporter", "created_at", "is_open"]
    list_filter = [FlagStateFilter, "reason"]
    list_select_related = ["post", "reporter"]
    search_fields = ["post__author_name", "post__body", "reporter__username", "note"]
    date_hierarchy = "created_at"
    fields = ["post_link", "reason", "note", "reporter", "created_at", "resolved_at"]
    readonly_fields = [*fields, "resolved_by"]
    actions = ["dismiss"]

    @admin.display(description=_("post"))
    def post_link(self, flag):
        return _post_link(flag.post)

    @admin.display(description=_("open"), boolean=True)
    def is_open(self, flag):
        return flag.is_open

    @admin.action(
        description=_("Dismiss every open flag on the selected flags' posts"),
        permissions=["moderate"],
    )
    def dismiss(self, request, queryset):
        posts = Post.objects.filter(pk__in=queryset.open().values("post_id"))
        self._act_on_each(request, posts, moderation.dismiss_flags)


class BanForm(forms.ModelForm):
    moderator = None  # set per request by BanAdmin.get_form

    class Meta:
        model = Ban
        fields = ["user", "reason", "until"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("user") is not None:
            moderation.check_ban(
                user=cleaned["user"], moderator=self.moderator, until=cleaned.get("until")
            )
        return cleaned


class BanStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("In force")), ("over", _("Over or lifted"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "over":
            return queryset.exclude(pk__in=Ban.objects.active().values("pk"))
        return queryset


@admin.register(Ban)
class BanAdmin(HostileInputMixin, admin.ModelAdmin):
    """Bans are made through moderation.ban_user and only ever lifted, never edited."""

    form = BanForm
    list_display = ["user", "reason", "until", "created_by", "created_at", "lifted_at"]
    list_filter = [BanStateFilter]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__username", "reason"]
    raw_id_fields = ["user"]
    actions = ["lift"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class on every call
        form.moderator = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "reason", "until"]
        return ["user", "reason", "until", "created_by", "created_at", "lifted_at", "lifted_by"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        ban = moderation.ban_user(
            user=obj.user, moderator=request.user, reason=obj.reason, until=obj.until
        )
        obj.pk, obj.created_by, obj.created_at = ban.pk, ban.created_by, ban.created_at

    @admin.action(description=_("Lift the selected bans"), permissions=["change"])
    def lift(self, request, queryset):
        users = {ban.user for ban in queryset.active().select_related("user")}
        for user in users:
            moderation.unban_user(user=user, moderator=request.user)
        self.message_user(request, _("%(count)d users unbanned.") % {"count": len(users)})

    def has_change_permission(self, request, obj=None):
        # A stored ban is only ever lifted (the action); its page is read-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
