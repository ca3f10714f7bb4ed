from django.contrib import admin
from django_rq.models import Dashboard

from .models import Digest, Email, Follow, Mute, Notification, Preferences


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits for a retry, and what finally failed, and why."""

    list_display = ["subject", "to", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Email._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "post", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "post", "actor"]


admin.site.register(Follow, raw_id_fields=["user", "thread"])
admin.site.register(Mute, raw_id_fields=["user", "muted"])
admin.site.register(Preferences, raw_id_fields=["user"])
admin.site.register(Digest, raw_id_fields=["user", "email"])

# django-rq's dashboard (its app must be installed for the RQ task backend) brings admin pages
# of its own that fail on hostile input; the outbox above shows what an admin needs.
if admin.site.is_registered(Dashboard):
    admin.site.unregister(Dashboard)
