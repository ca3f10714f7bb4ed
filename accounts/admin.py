"""Django's user, group and login-throttle admins, with Parley's username rules and NUL check."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from config.admin import HostileInputMixin

from .forms import AdminUserCreationForm, UserChangeForm
from .models import Profile
from .profiles import remove_avatar, update_profile


class UserAdmin(HostileInputMixin, auth_admin.UserAdmin):
    add_form = AdminUserCreationForm
    form = UserChangeForm


class GroupAdmin(HostileInputMixin, auth_admin.GroupAdmin):
    pass


class AccessAttemptAdmin(HostileInputMixin, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(HostileInputMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(HostileInputMixin, axes_admin.AccessFailureLogAdmin):
    pass


@admin.register(Profile)
class ProfileAdmin(HostileInputMixin, admin.ModelAdmin):
    """Staff correct a name or bio, or take a picture down; uploads go only through the site."""

    list_display = ["user", "display_name", "avatar"]
    search_fields = ["user__username", "display_name"]
    fields = ["user", "display_name", "bio_source", "avatar"]
    readonly_fields = ["user", "avatar"]
    actions = ["remove_avatars"]

    def has_add_permission(self, request):
        return False  # a profile is its member's; the settings page makes it

    def save_model(self, request, obj, form, change):
        # The bio is rendered and sanitised by the same function as on the settings page.
        update_profile(user=obj.user, display_name=obj.display_name, bio=obj.bio_source)

    @admin.action(description="Remove the selected profiles' avatars", permissions=["change"])
    def remove_avatars(self, request, queryset):
        for profile in queryset.select_related("user"):
            remove_avatar(user=profile.user)


# Importing those admin modules above registered Django's and axes' own classes: replace them.
for model, model_admin in [
    (get_user_model(), UserAdmin),
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
