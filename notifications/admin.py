from django.contrib import admin
from django_rq.models import Dashboard
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from config.admin import HostileInputMixin

from .models import Digest, Email, Follow, Mute, Notification, Preferences


@admin.register(Email)
class EmailAdmin(HostileInputMixin, admin.ModelAdmin):
    """The outbox: what was sent, what waits for a retry, and what finally failed, and why."""

    list_display = ["subject", "to", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Email._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(HostileInputMixin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "post", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "post", "actor"]


@admin.register(Follow)
class FollowAdmin(HostileInputMixin, admin.ModelAdmin):
    list_display = ["user", "thread", "created_at"]
    raw_id_fields = ["user", "thread"]


@admin.register(Mute)
class MuteAdmin(HostileInputMixin, admin.ModelAdmin):
    list_display = ["user", "muted", "created_at"]
    raw_id_fields = ["user", "muted"]


@admin.register(Preferences)
class PreferencesAdmin(HostileInputMixin, admin.ModelAdmin):
    list_display = ["user", "reply", "mention", "followed", "decision", "auto_follow"]
    raw_id_fields = ["user"]


@admin.register(Digest)
class DigestAdmin(HostileInputMixin, admin.ModelAdmin):
    list_display = ["user", "day", "created_at"]
    raw_id_fields = ["user", "email"]


# The task rows of the database queue, with the same refusal of hostile filters as ours.
class TaskResultAdmin(HostileInputMixin, DBTaskResultAdmin):
    pass


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)

# django-rq's dashboard (its app must be installed for the RQ task backend) brings admin pages
# of its own that fail on hostile input; the outbox above shows what an admin needs.
if admin.site.is_registered(Dashboard):
    admin.site.unregister(Dashboard)
