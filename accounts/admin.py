"""Django's user, group and login-throttle admins, with Parley's username rules and NUL check."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from config.admin import HostileInputMixin

from .forms import AdminUserCreationForm, UserChangeForm


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
