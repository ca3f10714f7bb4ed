"""Every write that changes a page announces it through forum.events, once, after it commits."""

import inspect
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from forum import authors, events, moderation, moderators, services, votes
from forum.archives.loader import load
from forum.archives.records import DiscussionRecord, PostRecord
from forum.events import Write
from forum.models import Post, Thread, Vote
from tests.factories import (
    make_article,
    make_moderator,
    make_post,
    make_posts_in_bulk,
    make_thread,
    make_user,
    set_status,
)

pytestmark = pytest.mark.django_db

START = datetime(2024, 1, 1, tzinfo=UTC)

# Public functions of the write modules that only read or check: everything else there writes,
# so a new write function fails test_every_write_service_has_a_case until it gets one.
READERS = {
    "best_score",
    "check_ban",
    "clean_body",
    "delete_refusal",
    "edit_refusal",
    "edit_window",
    "edit_window_end",
    "free_thread_slug",
    "is_blank",
    "max_post_length",
    "parent_refusal",
    "validate_body",
    "validate_title",
    "vote_refusal",
    "moderators_among",
}
WIRING = {"connect"}  # connects the receivers below to Django's signals
COVERED = set()  # filled by the @case decorator below


def case(*services):
    COVERED.update(service.__name__ for service in services)
    return lambda test: test


@pytest.fixture
def heard(django_capture_on_commit_callbacks):
    """Run a write as a committed transaction would, and return what receivers heard."""

    def run(write, *args, **kwargs):
        changes = []

        def receiver(sender, change, **kwargs):
            changes.append(change)

        events.written.connect(receiver)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                write(*args, **kwargs)
        finally:
            events.written.disconnect(receiver)
        return changes

    return run


@pytest.fixture
def mod():
    return make_moderator("mod")


@pytest.fixture
def thread():
    return make_thread("Orbital stations")


def only(changes):
    assert len(changes) == 1, changes
    return changes[0]


@case(services.add_post)
def test_a_new_top_level_post_announces_its_new_tree(heard, thread):
    changes = heard(make_post, thread, body="First!")
    post = Post.objects.get()
    change = only(changes)
    assert (change.write, change.threads, change.trees, change.posts) == (
        Write.POST_ADDED,
        {thread.pk},
        {post.tree_id},
        {post.pk},
    )


@case(services.post_reply)
def test_a_reply_announces_its_thread_and_tree(heard, thread):
    root = make_post(thread)
    changes = heard(
        services.post_reply, thread=thread, parent=root, author=make_user(), body="Indeed."
    )
    reply = Post.objects.get(parent=root)
    assert only(changes).write == Write.POST_ADDED
    assert (only(changes).threads, only(changes).trees) == ({thread.pk}, {root.tree_id})
    assert only(changes).posts == {reply.pk}


@case(services.start_thread)
def test_a_new_discussion_announces_the_new_thread(heard):
    changes = heard(services.start_thread, title="Fresh", author=make_user(), body="Hello.")
    new = Thread.objects.get(title="Fresh")
    assert only(changes).write == Write.POST_ADDED
    assert only(changes).threads == {new.pk}


@case(services.edit_post)
def test_an_edit_announces_the_post(heard, thread):
    author = make_user()
    post = make_post(thread, author=author)
    changes = heard(services.edit_post, post=post, editor=author, body="Corrected.")
    assert (only(changes).write, only(changes).posts) == (Write.POST_EDITED, {post.pk})


def test_an_edit_that_changes_nothing_announces_nothing(heard, thread):
    author = make_user()
    post = make_post(thread, author=author, body="Same.")
    assert heard(services.edit_post, post=post, editor=author, body="Same.") == []


@case(services.delete_post)
def test_a_deletion_announces_the_post(heard, thread):
    author = make_user()
    post = make_post(thread, author=author)
    changes = heard(services.delete_post, post=post, author=author)
    assert (only(changes).write, only(changes).trees) == (Write.POST_DELETED, {post.tree_id})


@case(votes.cast_vote)
def test_a_vote_announces_the_post(heard, thread):
    post = make_post(thread)
    changes = heard(votes.cast_vote, post=post, voter=make_user(), value=Vote.Value.UP)
    assert (only(changes).write, only(changes).posts) == (Write.POST_VOTED, {post.pk})


def test_taking_a_vote_back_announces_it_too(heard, thread):
    post, voter = make_post(thread), make_user()
    votes.cast_vote(post=post, voter=voter, value=Vote.Value.UP)
    changes = heard(votes.cast_vote, post=post, voter=voter, value=Vote.Value.UP)
    assert only(changes).write == Write.POST_VOTED


@case(moderation.flag_post)
def test_a_report_announces_the_flagged_post(heard, thread):
    post = make_post(thread)
    changes = heard(moderation.flag_post, post=post, reporter=make_user(), reason="spam")
    assert (only(changes).write, only(changes).posts) == (Write.POST_FLAGGED, {post.pk})


def test_the_report_that_hides_a_post_announces_it_hidden(heard, thread, settings):
    settings.PARLEY_FLAGS_TO_HIDE = 1
    post = make_post(thread)
    changes = heard(moderation.flag_post, post=post, reporter=make_user(), reason="spam")
    assert (only(changes).write, only(changes).trees) == (Write.POST_HIDDEN, {post.tree_id})


@case(moderation.dismiss_flags)
def test_dismissing_reports_announces_the_post(heard, thread, mod):
    post = make_post(thread)
    moderation.flag_post(post=post, reporter=make_user(), reason="spam")
    changes = heard(moderation.dismiss_flags, post=post, moderator=mod)
    assert only(changes).write == Write.FLAGS_DISMISSED


@case(moderation.approve_post)
def test_approving_announces_the_post(heard, thread, mod):
    post = set_status(make_post(thread), Post.Status.PENDING)
    changes = heard(moderation.approve_post, post=post, moderator=mod)
    assert (only(changes).write, only(changes).posts) == (Write.POST_APPROVED, {post.pk})


@case(moderation.remove_post)
def test_removing_a_subtree_announces_every_removed_post(heard, thread, mod):
    root = make_post(thread)
    reply = make_post(thread, parent=root)
    changes = heard(moderation.remove_post, post=root, moderator=mod, reason="", subtree=True)
    assert only(changes).write == Write.POST_REMOVED
    assert (only(changes).posts, only(changes).trees) == ({root.pk, reply.pk}, {root.tree_id})


@case(moderation.mark_spam)
def test_marking_spam_announces_the_post(heard, thread, mod):
    post = make_post(thread)
    changes = heard(moderation.mark_spam, post=post, moderator=mod)
    assert only(changes).write == Write.POST_MARKED_SPAM


@case(moderation.move_post)
def test_a_move_announces_the_tree_it_left_and_the_one_it_joined(heard, thread, mod):
    first, second = make_post(thread), make_post(thread)
    moved = make_post(thread, parent=first)
    changes = heard(moderation.move_post, post=moved, new_parent=second, moderator=mod, reason="")
    assert only(changes).write == Write.POST_MOVED
    assert only(changes).trees == {first.tree_id, second.tree_id}


@case(moderation.split_post)
def test_a_split_announces_both_threads_and_both_trees(heard, thread, mod):
    root = make_post(thread)
    reply = make_post(thread, parent=root)
    changes = heard(moderation.split_post, post=reply, moderator=mod, reason="", title="Apart")
    new = Thread.objects.get(title="Apart")
    reply.refresh_from_db()
    assert only(changes).write == Write.POST_SPLIT
    assert only(changes).threads == {thread.pk, new.pk}
    assert only(changes).trees == {root.tree_id, reply.tree_id}


@case(moderation.lock_thread, moderation.unlock_thread)
def test_locking_and_unlocking_announce_the_whole_thread(heard, thread, mod):
    locked = only(heard(moderation.lock_thread, thread=thread, moderator=mod, reason="Done."))
    unlocked = only(heard(moderation.unlock_thread, thread=thread, moderator=mod))
    assert (locked.write, unlocked.write) == (Write.THREAD_LOCKED, Write.THREAD_UNLOCKED)
    assert locked.whole_threads and unlocked.whole_threads
    assert locked.threads == unlocked.threads == {thread.pk}


@case(moderation.set_premoderation)
def test_premoderation_announces_the_whole_thread(heard, thread, mod):
    changes = heard(moderation.set_premoderation, thread=thread, moderator=mod, enabled=True)
    assert (only(changes).write, only(changes).whole_threads) == (
        Write.PREMODERATION_CHANGED,
        True,
    )


@case(moderation.ban_user, moderation.unban_user)
def test_bans_announce_the_user(heard, mod):
    member = make_user()
    banned = only(heard(moderation.ban_user, user=member, moderator=mod, reason="Spam."))
    lifted = only(heard(moderation.unban_user, user=member, moderator=mod))
    assert (banned.write, lifted.write) == (Write.USER_BANNED, Write.USER_UNBANNED)
    assert banned.users == lifted.users == {member.pk}


@case(authors.announce_account_deleted)
def test_deleting_an_account_announces_the_posts_it_wrote(heard, thread):
    member, other = make_user(), make_user()
    written = [make_post(thread, author=member), make_post(thread, author=member)]
    make_post(thread, author=other)
    member_pk = member.pk

    change = only(heard(member.delete))

    assert change.write == Write.ACCOUNT_DELETED
    assert change.posts == {post.pk for post in written}
    assert (change.threads, change.users) == ({thread.pk}, {member_pk})
    assert change.trees == {post.tree_id for post in written}
    assert not Post.objects.filter(pk__in=change.posts, author__isnull=False).exists()


def test_deleting_an_account_without_posts_announces_nothing(heard):
    assert heard(make_user().delete) == []


# Joining and leaving the moderators: Django's models, announced from their signals.


@pytest.fixture
def moderators_group():
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_post"))
    return group


@pytest.fixture
def writer(thread):
    """A member with posts in two trees of one thread and in a second thread."""
    member = make_user("writer")
    root = make_post(thread, author=member)
    make_post(thread, parent=root, author=member)
    make_post(thread, author=member)
    make_post(make_thread("Elsewhere"), author=member)
    make_post(thread, author=make_user())  # someone else's tree, unchanged
    return member


def places_of(user):
    written = Post.objects.filter(author=user)
    return set(written.values_list("thread_id", flat=True)), set(
        written.values_list("tree_id", flat=True)
    )


@case(moderators.memberships_changed, moderators.announce_moderators_changed)
def test_joining_the_moderators_announces_the_trees_holding_the_members_posts(
    heard, writer, moderators_group
):
    change = only(heard(writer.groups.add, moderators_group))
    assert (change.write, change.users) == (Write.MODERATORS_CHANGED, {writer.pk})
    assert (change.threads, change.trees) == places_of(writer)


@pytest.mark.parametrize(
    "leave",
    [
        lambda user, group: user.groups.remove(group),
        lambda user, group: group.user_set.remove(user),
        lambda user, group: user.groups.clear(),
        lambda user, group: group.user_set.clear(),
        lambda user, group: group.permissions.clear(),
        lambda user, group: Permission.objects.get(codename="moderate_post").group_set.clear(),
    ],
    ids=["groups.remove", "user_set.remove", "groups.clear", "user_set.clear",
         "group.permissions.clear", "permission.group_set.clear"],
)  # fmt: skip
def test_leaving_the_moderators_from_either_side_announces_it(
    heard, writer, moderators_group, leave
):
    writer.groups.add(moderators_group)
    change = only(heard(leave, writer, moderators_group))
    assert (change.write, change.users) == (Write.MODERATORS_CHANGED, {writer.pk})
    assert (change.threads, change.trees) == places_of(writer)


def test_a_permission_granted_to_an_account_or_its_group_announces_it(heard, writer):
    permission = Permission.objects.get(codename="moderate_post")
    group = Group.objects.create(name="Helpers")
    writer.groups.add(group)
    granted = only(heard(group.permissions.add, permission))
    taken = only(heard(permission.group_set.remove, group))
    direct = only(heard(writer.user_permissions.add, permission))
    assert granted.users == taken.users == direct.users == {writer.pk}
    assert granted.write == taken.write == direct.write == Write.MODERATORS_CHANGED


@case(moderators.account_saving, moderators.account_saved)
def test_a_superuser_made_or_a_moderator_deactivated_announces_it(heard, writer, moderators_group):
    writer.is_superuser = True
    assert only(heard(writer.save)).users == {writer.pk}
    writer.is_superuser = False
    writer.groups.add(moderators_group)
    writer.is_active = False
    assert only(heard(writer.save, update_fields=["is_superuser", "is_active"])).users == {
        writer.pk
    }


@case(moderators.group_deleting, moderators.group_deleted)
def test_deleting_the_moderators_group_announces_its_members(heard, writer, moderators_group):
    writer.groups.add(moderators_group)
    change = only(heard(moderators_group.delete))
    assert (change.write, change.users) == (Write.MODERATORS_CHANGED, {writer.pk})


def test_joining_the_moderators_without_a_post_announces_the_account_alone(
    heard, moderators_group
):
    quiet = make_user("quiet")
    change = only(heard(quiet.groups.add, moderators_group))
    # No post's badge changes, but the account's own pages do: they show the moderation link.
    assert (change.users, change.threads, change.trees) == ({quiet.pk}, set(), set())


def test_changes_that_leave_the_moderators_as_they_were_announce_nothing(
    heard, writer, moderators_group
):
    other = Group.objects.create(name="Readers")
    assert heard(writer.groups.add, other) == []  # a group that grants nothing
    writer.groups.add(moderators_group)
    second = Group.objects.create(name="Also moderators")
    second.permissions.add(Permission.objects.get(codename="moderate_post"))
    assert heard(writer.groups.add, second) == []  # a moderator already
    writer.last_login = START
    assert heard(writer.save, update_fields=["last_login"]) == []
    assert heard(writer.save) == []  # saved, nothing that decides it changed


def imported(*posts):
    discussion = DiscussionRecord(external_id="test:t1", title="Imported", created_at=START)
    return [discussion, *posts]


def imported_post(external_id, parent=None, status="published"):
    return PostRecord(
        external_id=external_id,
        discussion_external_id="test:t1",
        parent_external_id=parent,
        author_name="Importer",
        created_at=START + timedelta(minutes=len(external_id)),
        status=status,
        body=f"Post {external_id}.",
    )


@case(load)
def test_an_import_announces_once_every_thread_and_tree_it_wrote(heard):
    records = imported(imported_post("test:1"), imported_post("test:2", parent="test:1"))
    changes = heard(load, records, source="test")
    thread = Thread.objects.get(external_id="test:t1")
    trees = set(Post.objects.values_list("tree_id", flat=True))
    assert only(changes).write == Write.POSTS_IMPORTED
    assert (only(changes).threads, only(changes).trees) == ({thread.pk}, trees)


def test_a_reimport_that_changes_statuses_announces_their_trees(heard):
    load(imported(imported_post("test:1"), imported_post("test:2")), source="test")
    changes = heard(load, imported(imported_post("test:2", status="spam")), source="test")
    changed = Post.objects.get(external_id="test:2")
    assert changed.status == Post.Status.SPAM
    assert only(changes).trees == {changed.tree_id}


def test_an_import_into_an_articles_discussion_announces_the_article(heard):
    article = make_article()
    make_thread(article=article, external_id="test:t1")
    changes = heard(load, imported(imported_post("test:1")), source="test")
    assert only(changes).articles == {article.pk}


def test_a_bulk_tree_load_announces_its_trees(heard, thread):
    changes = heard(make_posts_in_bulk, thread, 12)
    trees = set(Post.objects.values_list("tree_id", flat=True))
    assert (only(changes).write, only(changes).trees) == (Write.POSTS_LOADED, trees)


def test_every_write_service_has_a_case():
    modules = [services, votes, moderation, authors, moderators]
    public = {
        name
        for module in modules
        for name, member in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and member.__module__.startswith(module.__name__)
    }
    assert public - READERS - WIRING - COVERED == set()


def test_nothing_is_heard_of_a_write_that_was_rolled_back(heard, thread):
    def failing_write():
        try:
            with transaction.atomic():
                make_post(thread)
                raise RuntimeError("the write fails after the post was saved")
        except RuntimeError:
            pass

    assert heard(failing_write) == []
    assert not Post.objects.exists()


def test_a_failing_receiver_is_logged_and_the_others_still_hear(heard, thread, caplog):
    def broken(sender, change, **kwargs):
        raise RuntimeError("a receiver's bug")

    events.written.connect(broken)
    try:
        changes = heard(make_post, thread)
    finally:
        events.written.disconnect(broken)
    assert Post.objects.count() == 1
    assert only(changes).write == Write.POST_ADDED
    assert "a receiver's bug" in caplog.text


def test_an_article_edited_in_the_admin_announces_it_and_its_discussion(heard, admin_client):
    article = make_article("Before")
    thread = make_thread(article=article)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = {
        "title": "After",
        "slug": article.slug,
        "published_at_0": "2024-01-01",
        "published_at_1": "12:00:00",
        "body": article.body,
    }
    changes = heard(admin_client.post, url, data)
    assert only(changes).write == Write.ARTICLE_EDITED
    assert (only(changes).articles, only(changes).threads) == ({article.pk}, {thread.pk})


def test_an_article_deleted_in_the_admin_announces_it(heard, admin_client):
    article = make_article()
    thread = make_thread(article=article)
    url = f"/admin/articles/article/{article.pk}/delete/"
    changes = heard(admin_client.post, url, {"post": "yes"})
    assert only(changes).write == Write.ARTICLE_DELETED
    assert (only(changes).articles, only(changes).threads) == ({article.pk}, {thread.pk})


def test_a_thread_edited_in_the_admin_announces_its_old_and_new_article(heard, admin_client):
    old, new = make_article(), make_article()
    thread = make_thread("Before", article=old)
    url = f"/admin/forum/thread/{thread.pk}/change/"
    data = {
        "title": "After",
        "slug": thread.slug,
        "article": new.pk,
        "created_at_0": "2024-01-01",
        "created_at_1": "12:00:00",
    }
    changes = heard(admin_client.post, url, data)
    assert Thread.objects.get(pk=thread.pk).title == "After"
    assert (only(changes).write, only(changes).whole_threads) == (Write.THREAD_EDITED, True)
    assert only(changes).articles == {old.pk, new.pk}
