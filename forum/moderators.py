"""Who moderates, asked of many accounts at once, and the announcement when that changes.

A moderator's posts wear a badge in the discussions' shared HTML, so a page kept in the cache
must change when its author joins or leaves the moderators. Accounts, groups and permissions
are Django's models, changed by the admin or by code through their many-to-many managers or a
save: so the change is announced from the signals those send (as forum.authors announces a
deleted account), inside the change's transaction where it has one (the admin's), naming the
trees holding the account's posts.

moderators_among() is can_moderate() asked in one query: active, and a superuser or granted the
permission directly or through a group (Django's ModelBackend, the site's only backend that
grants permissions).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import events
from .models import Post

APP_LABEL, CODENAME = "forum", "moderate_post"
# Set on the instance a signal is about, between its pre_ and post_ signals.
BEFORE = "_parley_moderators_before"


def moderators_among(user_pks) -> set[int]:
    """The pks among these (a list or a query of pks) of the accounts that may moderate."""
    permission = Permission.objects.filter(codename=CODENAME, content_type__app_label=APP_LABEL)
    User = get_user_model()
    direct = User.user_permissions.through.objects.filter(permission__in=permission)
    grouped = User.groups.through.objects.filter(group__permissions__in=permission)
    granted = Q(pk__in=direct.values("user_id")) | Q(pk__in=grouped.values("user_id"))
    users = User.objects.filter(Q(is_superuser=True) | granted, pk__in=user_pks, is_active=True)
    return set(users.values_list("pk", flat=True))


def announce_moderators_changed(user_pks) -> None:
    """Announce that these accounts joined or left the moderators: their posts' trees change,
    and so do their own pages, with their posts or without (a kept page has its tools or not)."""
    if not user_pks:
        return
    written = Post.objects.filter(author_id__in=user_pks).order_by()
    places = set(written.values_list("thread_id", "tree_id").distinct())
    events.announce(
        events.Write.MODERATORS_CHANGED,
        threads={thread for thread, _ in places},
        trees={tree for _, tree in places},
        users=user_pks,
    )


def memberships_changed(sender, instance, action, model, pk_set, **kwargs):
    """A receiver of m2m_changed on an account's groups or permissions, or a group's
    permissions, from either side."""
    if action.startswith("pre_"):
        candidates = _candidates(instance, model, pk_set, clearing=action == "pre_clear")
        setattr(instance, BEFORE, (candidates, moderators_among(candidates)))
        return
    candidates, before = instance.__dict__.pop(BEFORE, ([], set()))
    if action == "post_add":
        # Adding a group or a permission only ever makes moderators.
        announce_moderators_changed(moderators_among(candidates) - before)
    else:
        announce_moderators_changed(before - moderators_among(before))


def _candidates(instance, model, pk_set, *, clearing):
    """The pks (a list or a query) of the accounts whose standing this change may move."""
    User = get_user_model()
    if isinstance(instance, User):
        return [instance.pk]
    if isinstance(instance, Group):
        if model is User:  # group.user_set
            return list(instance.user_set.values_list("pk", flat=True)) if clearing else pk_set
        return _members(Group.objects.filter(pk=instance.pk), clearing)  # group.permissions
    # A permission: permission.user_set, or permission.group_set.
    if model is User:
        return list(instance.user_set.values_list("pk", flat=True)) if clearing else pk_set
    groups = instance.group_set.all() if clearing else Group.objects.filter(pk__in=pk_set)
    return _members(groups, clearing)


def _members(groups, clearing):
    members = get_user_model().objects.filter(groups__in=groups).values_list("pk", flat=True)
    # Before a clear or a deletion the members are read at once: afterwards nothing links them.
    return list(members.distinct()) if clearing else members


def account_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """A receiver of the user model's pre_save: note whether a changed account moderates."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"is_active", "is_superuser"} & set(update_fields):
        return  # a log-in's last_login, say: nothing that decides who moderates
    setattr(instance, BEFORE, moderators_among([instance.pk]))


def account_saved(sender, instance, created=False, raw=False, **kwargs):
    """A receiver of the user model's post_save: announce it if its standing moved."""
    before = instance.__dict__.pop(BEFORE, None)
    if before is None or raw or created:
        return
    announce_moderators_changed(before ^ moderators_among([instance.pk]))


def group_deleting(sender, instance, **kwargs):
    """A receiver of Group's pre_delete: its members may leave the moderators with it."""
    members = _members(Group.objects.filter(pk=instance.pk), clearing=True)
    setattr(instance, BEFORE, moderators_among(members))


def group_deleted(sender, instance, **kwargs):
    """A receiver of Group's post_delete."""
    before = instance.__dict__.pop(BEFORE, set())
    announce_moderators_changed(before - moderators_among(before))


def connect() -> None:
    """Hear every way an account joins or leaves the moderators (ForumConfig.ready)."""
    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            memberships_changed, sender=through, dispatch_uid=f"{__name__}.{through}"
        )
    pre_save.connect(account_saving, sender=User, dispatch_uid=f"{__name__}.account_saving")
    post_save.connect(account_saved, sender=User, dispatch_uid=f"{__name__}.account_saved")
    pre_delete.connect(group_deleting, sender=Group, dispatch_uid=f"{__name__}.group_deleting")
    post_delete.connect(group_deleted, sender=Group, dispatch_uid=f"{__name__}.group_deleted")
