from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import resolve
from django.utils import timezone

from forum import moderation, trees
from forum.models import (
    Ban,
    Flag,
    ModerationRecord,
    Post,
    Thread,
    active_ban,
    can_moderate,
    is_banned,
)
from tests.factories import make_moderator, make_post, make_thread, make_user, set_status

pytestmark = pytest.mark.django_db

Action = ModerationRecord.Action
Status = Post.Status


@pytest.fixture
def moderator():
    return make_moderator("mod")


@pytest.fixture
def thread():
    return make_thread()


def count_of(thread):
    return Thread.objects.get(pk=thread.pk).post_count


def only_record():
    (record,) = ModerationRecord.objects.all()
    return record


# Roles


def test_the_moderators_group_has_exactly_the_permissions_it_needs():
    group = Group.objects.get(name="Moderators")
    granted = set(group.permissions.values_list("content_type__model", "codename"))
    assert granted == {
        ("post", "moderate_post"),
        ("post", "view_post"),
        ("post", "change_post"),
        ("thread", "view_thread"),
        ("thread", "change_thread"),
        ("flag", "view_flag"),
        ("flag", "change_flag"),
        ("moderationrecord", "view_moderationrecord"),
        ("ban", "add_ban"),
        ("ban", "change_ban"),
        ("ban", "view_ban"),
    }


def test_a_member_of_the_moderators_group_may_moderate():
    assert can_moderate(make_moderator())
    assert not can_moderate(make_user())


# Approve, remove, spam


def test_approving_a_pending_post_publishes_it_counts_it_and_records_it(thread, moderator):
    post = make_post(thread, status=Status.PENDING)
    assert count_of(thread) == 0
    moderation.approve_post(post=post, moderator=moderator, reason="fine")
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED
    assert count_of(thread) == 1
    record = only_record()
    assert (record.action, record.post, record.thread) == (Action.APPROVE, post, thread)
    assert (record.moderator, record.moderator_name, record.reason) == (moderator, "mod", "fine")
    assert record.details["previous_status"] == "pending"


def test_approving_a_published_unflagged_post_is_refused_and_records_nothing(thread, moderator):
    post = make_post(thread)
    with pytest.raises(ValidationError, match="already published"):
        moderation.approve_post(post=post, moderator=moderator)
    assert not ModerationRecord.objects.exists()


def test_removing_a_post_keeps_its_text_and_its_replies(thread, moderator, client):
    post = make_post(thread, body="Offensive words.")
    reply = make_post(thread, parent=post, body="A calm reply.")
    moderation.remove_post(post=post, moderator=moderator, reason="abuse")
    stored = Post.objects.get(pk=post.pk)
    assert (stored.status, stored.body) == (Status.REMOVED, "Offensive words.")
    assert Post.objects.get(pk=reply.pk).status == Status.PUBLISHED
    assert count_of(thread) == 1
    assert trees.tree_faults() == []
    page = client.get(thread.get_forum_url()).content.decode()
    assert "[removed]" in page and "A calm reply." in page
    assert "Offensive words." not in page


def test_removing_a_post_records_who_why_and_whose_post(thread, moderator):
    author = make_user("author")
    post = make_post(thread, author=author)
    moderation.remove_post(post=post, moderator=moderator, reason="abuse")
    record = only_record()
    assert (record.action, record.reason, record.post) == (Action.REMOVE, "abuse", post)
    assert (record.user, record.user_name) == (author, "author")


def test_removing_a_subtree_removes_every_reply_but_deletes_nothing(thread, moderator):
    post = make_post(thread)
    reply = make_post(thread, parent=post)
    deep = make_post(thread, parent=reply)
    erased = set_status(make_post(thread, parent=post), Status.DELETED)
    make_post(thread)
    moderation.remove_post(post=post, moderator=moderator, reason="flame war", subtree=True)
    statuses = dict(Post.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in (post, reply, deep)] == [Status.REMOVED] * 3
    assert statuses[erased.pk] == Status.DELETED
    assert len(statuses) == 5
    assert count_of(thread) == 1
    assert trees.tree_faults() == []
    record = only_record()
    assert record.action == Action.REMOVE_SUBTREE
    assert record.details["removed"] == sorted([post.pk, reply.pk, deep.pk])


def test_removing_an_already_removed_post_is_refused(thread, moderator):
    post = set_status(make_post(thread), Status.REMOVED)
    with pytest.raises(ValidationError, match="nothing left here to remove"):
        moderation.remove_post(post=post, moderator=moderator, reason="")
    assert not ModerationRecord.objects.exists()


def test_marking_spam_hides_the_post_and_uncounts_it(thread, moderator):
    post = make_post(thread, body="Buy now")
    moderation.mark_spam(post=post, moderator=moderator)
    stored = Post.objects.get(pk=post.pk)
    assert (stored.status, stored.body) == (Status.SPAM, "Buy now")
    assert count_of(thread) == 0
    assert only_record().action == Action.SPAM


def test_a_post_its_author_deleted_cannot_be_marked_spam(thread, moderator):
    post = set_status(make_post(thread), Status.DELETED)
    with pytest.raises(ValidationError):
        moderation.mark_spam(post=post, moderator=moderator)
    assert Post.objects.get(pk=post.pk).status == Status.DELETED


# Move and split


def test_moving_a_post_records_where_from_and_where_to(thread, moderator):
    first, second = make_post(thread), make_post(thread)
    reply = make_post(thread, parent=first)
    moderation.move_post(post=reply, new_parent=second, moderator=moderator, reason="misplaced")
    assert Post.objects.get(pk=reply.pk).parent_id == second.pk
    assert trees.tree_faults() == []
    assert count_of(thread) == 3
    record = only_record()
    assert record.action == Action.MOVE
    assert record.details == {"from_parent": first.pk, "to_parent": second.pk}


def test_moving_a_post_under_its_own_reply_is_refused_and_nothing_is_written(thread, moderator):
    post = make_post(thread)
    reply = make_post(thread, parent=post)
    with pytest.raises(ValidationError, match="under itself or one of its own replies"):
        moderation.move_post(post=post, new_parent=reply, moderator=moderator, reason="")
    assert Post.objects.get(pk=post.pk).parent_id is None
    assert Post.objects.get(pk=reply.pk).parent_id == post.pk
    assert not ModerationRecord.objects.exists()


def test_moving_a_post_into_another_thread_is_refused(thread, moderator):
    post = make_post(thread)
    elsewhere = make_post(make_thread())
    with pytest.raises(ValidationError, match="its own thread"):
        moderation.move_post(post=post, new_parent=elsewhere, moderator=moderator, reason="")
    assert Post.objects.get(pk=post.pk).thread_id == thread.pk
    assert not ModerationRecord.objects.exists()


def test_moving_a_post_under_a_removed_post_is_refused(thread, moderator):
    post = make_post(thread)
    removed = set_status(make_post(thread), Status.REMOVED)
    with pytest.raises(ValidationError, match="published post"):
        moderation.move_post(post=post, new_parent=removed, moderator=moderator, reason="")


def test_splitting_a_post_makes_a_thread_of_it_and_its_replies(thread, moderator, client):
    root = make_post(thread, body="On topic.")
    post = make_post(thread, parent=root, body="Tangent about rockets.")
    make_post(thread, parent=post, body="More rockets.")
    new_thread = moderation.split_post(
        post=post, moderator=moderator, reason="off topic", title="Rockets"
    )
    assert (new_thread.title, new_thread.slug, new_thread.post_count) == ("Rockets", "rockets", 2)
    assert count_of(thread) == 1
    assert trees.tree_faults() == []
    assert set(new_thread.posts.values_list("body", flat=True)) == {
        "Tangent about rockets.",
        "More rockets.",
    }
    record = only_record()
    assert (record.action, record.post, record.thread) == (Action.SPLIT, post, thread)
    assert record.details["new_thread"] == new_thread.pk
    page = client.get(new_thread.get_absolute_url()).content.decode()
    assert "Tangent about rockets." in page and "More rockets." in page


def test_a_split_thread_gets_a_free_slug(thread, moderator):
    make_thread(slug="rockets")
    post = make_post(thread, parent=make_post(thread))
    new_thread = moderation.split_post(post=post, moderator=moderator, reason="", title="Rockets")
    assert new_thread.slug == "rockets-2"


@pytest.mark.parametrize("status", [Status.PENDING, Status.REMOVED, Status.SPAM, Status.DELETED])
def test_splitting_a_post_that_is_not_published_is_refused_and_creates_no_thread(
    thread, moderator, status
):
    post = make_post(thread, parent=make_post(thread))
    make_post(thread, parent=post)
    set_status(post, status)

    with pytest.raises(ValidationError) as refusal:
        moderation.split_post(post=post, moderator=moderator, reason="", title="Rockets")

    assert refusal.value.messages == [
        f"Only a published post can start a new discussion; this one is {status.label}."
    ]
    assert list(Thread.objects.all()) == [thread]
    assert set(Post.objects.values_list("thread_id", flat=True)) == {thread.pk}
    assert Post.objects.get(pk=post.pk).parent_id is not None
    assert not ModerationRecord.objects.exists()
    assert trees.tree_faults() == []


def test_a_split_without_a_title_is_refused_and_creates_no_thread(thread, moderator):
    post = make_post(thread, parent=make_post(thread))
    with pytest.raises(ValidationError):
        moderation.split_post(post=post, moderator=moderator, reason="", title="  ")
    assert Thread.objects.count() == 1
    assert Post.objects.get(pk=post.pk).thread_id == thread.pk
    assert not ModerationRecord.objects.exists()


# Threads


def test_locking_a_thread_stores_the_reason_and_records_it(thread, moderator):
    moderation.lock_thread(thread=thread, moderator=moderator, reason="Heated.")
    thread.refresh_from_db()
    assert (thread.is_locked, thread.lock_reason) == (True, "Heated.")
    record = only_record()
    assert (record.action, record.thread, record.post) == (Action.LOCK, thread, None)


def test_locking_a_locked_thread_is_refused(thread, moderator):
    moderation.lock_thread(thread=thread, moderator=moderator, reason="")
    with pytest.raises(ValidationError, match="already locked"):
        moderation.lock_thread(thread=thread, moderator=moderator, reason="again")
    assert ModerationRecord.objects.count() == 1


def test_unlocking_a_thread_clears_the_reason(thread, moderator):
    moderation.lock_thread(thread=thread, moderator=moderator, reason="Heated.")
    moderation.unlock_thread(thread=thread, moderator=moderator)
    thread.refresh_from_db()
    assert (thread.is_locked, thread.lock_reason) == (False, "")
    assert ModerationRecord.objects.first().action == Action.UNLOCK


def test_premoderation_is_switched_on_and_off_with_a_record_each_time(thread, moderator):
    moderation.set_premoderation(thread=thread, moderator=moderator, enabled=True)
    assert Thread.objects.get(pk=thread.pk).is_premoderated
    moderation.set_premoderation(thread=thread, moderator=moderator, enabled=False)
    assert not Thread.objects.get(pk=thread.pk).is_premoderated
    actions = list(ModerationRecord.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [Action.PREMODERATE_ON, Action.PREMODERATE_OFF]


# Bans


def test_a_ban_for_good_keeps_the_user_banned(moderator):
    user = make_user("troll")
    ban = moderation.ban_user(user=user, moderator=moderator, reason="Insults.")
    assert active_ban(user) == ban and is_banned(user)
    assert ban.is_permanent
    record = only_record()
    assert (record.action, record.user, record.user_name) == (Action.BAN, user, "troll")
    assert record.details["until"] is None


def test_a_ban_for_a_time_ends_by_itself(moderator):
    user = make_user()
    until = timezone.now() + timedelta(days=1)
    ban = moderation.ban_user(user=user, moderator=moderator, reason="Cool off.", until=until)
    assert active_ban(user) == ban
    assert not Ban.objects.active(now=until + timedelta(seconds=1)).exists()


def test_an_expired_ban_does_not_count():
    user = make_user()
    Ban.objects.create(user=user, reason="old", until=timezone.now() - timedelta(minutes=1))
    assert not is_banned(user)


def test_a_new_ban_replaces_the_one_in_force(moderator):
    user = make_user()
    soon = timezone.now() + timedelta(hours=1)
    first = moderation.ban_user(user=user, moderator=moderator, reason="First.", until=soon)
    second = moderation.ban_user(user=user, moderator=moderator, reason="Second.")
    first.refresh_from_db()
    assert first.lifted_by == moderator
    assert active_ban(user) == second


@pytest.mark.parametrize(
    ("until", "message"),
    [(timedelta(minutes=-1), "in the future"), (None, "cannot ban yourself")],
)
def test_a_ban_that_cannot_be_meant_is_refused(moderator, until, message):
    user = moderator if until is None else make_user()
    end = None if until is None else timezone.now() + until
    with pytest.raises(ValidationError, match=message):
        moderation.ban_user(user=user, moderator=moderator, reason="x", until=end)
    assert not Ban.objects.exists() and not ModerationRecord.objects.exists()


def test_a_ban_needs_a_reason_the_user_will_see(moderator):
    with pytest.raises(ValidationError):
        moderation.ban_user(user=make_user(), moderator=moderator, reason="  ")
    assert not Ban.objects.exists()


def test_lifting_a_ban_lets_the_user_back(moderator):
    user = make_user()
    moderation.ban_user(user=user, moderator=moderator, reason="Spam.")
    assert moderation.unban_user(user=user, moderator=moderator, reason="Appeal") == 1
    assert not is_banned(user)
    assert ModerationRecord.objects.first().action == Action.UNBAN


def test_lifting_a_ban_from_an_unbanned_user_is_refused(moderator):
    with pytest.raises(ValidationError, match="not banned"):
        moderation.unban_user(user=make_user(), moderator=moderator)


# Flags


def flag(post, reporter=None, reason=Flag.Reason.ABUSE, note=""):
    return moderation.flag_post(
        post=post, reporter=reporter or make_user(), reason=reason, note=note
    )


def test_a_flag_is_stored_with_its_reason_and_note(thread):
    reporter = make_user()
    stored = flag(make_post(thread), reporter, Flag.Reason.OTHER, "Copied from elsewhere.")
    stored.refresh_from_db()
    assert (stored.reporter, stored.reason) == (reporter, "other")
    assert (stored.note, stored.is_open) == ("Copied from elsewhere.", True)
    assert not ModerationRecord.objects.exists()


def test_a_user_flags_a_post_only_once(thread):
    post, reporter = make_post(thread), make_user()
    flag(post, reporter)
    with pytest.raises(ValidationError, match="already reported this comment"):
        flag(post, reporter, Flag.Reason.SPAM)
    assert Flag.objects.count() == 1


def test_the_reason_other_needs_a_note(thread):
    with pytest.raises(ValidationError, match="Say what is wrong"):
        flag(make_post(thread), reason=Flag.Reason.OTHER)
    assert not Flag.objects.exists()


def test_an_author_cannot_flag_their_own_post(thread):
    author = make_user()
    with pytest.raises(ValidationError, match="your own comment"):
        flag(make_post(thread, author=author), author)


def test_a_banned_user_cannot_flag(thread, moderator):
    reporter = make_user()
    moderation.ban_user(user=reporter, moderator=moderator, reason="Spam.")
    with pytest.raises(ValidationError, match="banned"):
        flag(make_post(thread), reporter)
    assert not Flag.objects.exists()


def test_enough_open_flags_hide_a_post_until_a_moderator_decides(thread):
    post = make_post(thread)
    flag(post)
    flag(post)
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED
    flag(post)
    assert Post.objects.get(pk=post.pk).status == Status.PENDING
    assert count_of(thread) == 0
    record = only_record()
    assert (record.action, record.moderator, record.moderator_name) == (
        Action.HIDE_FLAGGED,
        None,
        "",
    )
    assert record.details == {"open_flags": 3}


@override_settings(PARLEY_FLAGS_TO_HIDE=1)
def test_the_flag_threshold_is_read_from_the_settings_when_flagging(thread):
    post = make_post(thread)
    flag(post)
    assert Post.objects.get(pk=post.pk).status == Status.PENDING


def test_dismissing_flags_resolves_them_and_publishes_the_hidden_post(thread, moderator):
    post = make_post(thread)
    for _ in range(3):
        flag(post)
    moderation.dismiss_flags(post=post, moderator=moderator, reason="Fair criticism.")
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED
    assert count_of(thread) == 1
    assert not Flag.objects.open().exists()
    assert set(Flag.objects.values_list("resolved_by", flat=True)) == {moderator.pk}
    record = ModerationRecord.objects.first()
    assert (record.action, record.details["flags_resolved"]) == (Action.DISMISS_FLAGS, 3)


def test_removing_a_flagged_post_resolves_its_flags(thread, moderator):
    post = make_post(thread)
    flag(post)
    moderation.remove_post(post=post, moderator=moderator, reason="abuse")
    assert not Flag.objects.open().exists()


def test_approving_a_flagged_post_keeps_it_and_resolves_the_flags(thread, moderator):
    post = make_post(thread)
    flag(post)
    moderation.approve_post(post=post, moderator=moderator)
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED
    assert not Flag.objects.open().exists()


def test_the_queue_holds_pending_and_flagged_posts_newest_first(thread, moderator):
    pending = make_post(thread, status=Status.PENDING)
    flagged = make_post(thread)
    flag(flagged)
    flag(flagged)
    resolved = make_post(thread)
    flag(resolved)
    moderation.dismiss_flags(post=resolved, moderator=moderator)
    make_post(thread)
    queue = list(Post.objects.awaiting_moderation())
    assert queue == [flagged, pending]
    assert [post.open_flag_count for post in queue] == [2, 0]


# The audit log


def test_a_moderation_record_cannot_be_changed(thread, moderator):
    moderation.lock_thread(thread=thread, moderator=moderator, reason="Heated.")
    record = only_record()
    record.reason = "Nothing happened."
    with pytest.raises(TypeError, match="append-only"):
        record.save()
    with pytest.raises(TypeError, match="append-only"):
        ModerationRecord.objects.update(reason="Nothing happened.")
    assert only_record().reason == "Heated."


def test_a_moderation_record_cannot_be_deleted(thread, moderator):
    moderation.lock_thread(thread=thread, moderator=moderator, reason="Heated.")
    with pytest.raises(TypeError, match="append-only"):
        only_record().delete()
    with pytest.raises(TypeError, match="append-only"):
        ModerationRecord.objects.all().delete()
    assert ModerationRecord.objects.count() == 1


def test_the_log_keeps_the_moderators_name_after_the_account_is_deleted(thread, moderator):
    moderation.lock_thread(thread=thread, moderator=moderator, reason="Heated.")
    moderator.delete()
    record = only_record()
    assert (record.moderator, record.moderator_name) == (None, "mod")


def test_a_split_thread_never_takes_an_address_another_page_owns():
    thread = make_thread()
    post = make_post(thread)
    new_thread = moderation.split_post(
        post=post, moderator=make_moderator(), reason="Own topic.", title="New"
    )
    assert new_thread.slug != "new"
    assert resolve(new_thread.get_forum_url()).url_name == "thread"


def test_a_post_its_author_deleted_leaves_the_moderation_queue():
    post = make_post(make_thread(), author=make_user())
    moderation.flag_post(post=post, reporter=make_user(), reason="spam")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DELETED)
    assert not Post.objects.awaiting_moderation().filter(pk=post.pk).exists()
