"""Who hears of a post: replies, mentions, followers; never its author, a muter, or of imports."""

import pytest

from forum import moderation, services
from forum.models import Post
from notifications import following
from notifications.models import Follow, Kind, Notification
from tests.factories import make_moderator, make_user

from .helpers import post

pytestmark = pytest.mark.django_db


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_reply_notifies_the_author_of_the_post_replied_to(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    reply = post(
        django_capture_on_commit_callbacks, thread=thread, author=bob, body="Hi.", parent=first
    )
    run_tasks()
    notification = Notification.objects.get(recipient=alice)
    assert (notification.kind, notification.post, notification.actor) == (Kind.REPLY, reply, bob)


def test_nobody_is_notified_of_their_own_post(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    run_tasks()
    post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="Hi.", parent=first)
    run_tasks()
    post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Me.", parent=first)
    run_tasks()
    assert kinds_of(alice) == [Kind.REPLY]  # bob's reply, not her own
    assert kinds_of(bob) == [Kind.FOLLOWED]  # bob follows by writing: he hears of alice's


def test_writing_follows_the_discussion_and_followers_hear_of_new_posts(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob, carol
):
    post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="First.")
    assert Follow.objects.filter(user=alice, thread=thread).exists()
    following.follow(user=carol, thread=thread)
    new = post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="Second.")
    run_tasks()
    assert set(
        Notification.objects.filter(post=new).values_list("recipient__username", "kind")
    ) == {
        ("alice", Kind.FOLLOWED),
        ("carol", Kind.FOLLOWED),
    }


def test_auto_follow_can_be_turned_off(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    prefs = following.preferences_of(alice)
    prefs.auto_follow = False
    prefs.save()
    post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="First.")
    post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="Second.")
    assert not Follow.objects.filter(user=alice).exists()
    assert Follow.objects.filter(user=bob, thread=thread).exists()


def test_a_reply_that_mentions_you_is_one_notification(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    post(
        django_capture_on_commit_callbacks,
        thread=thread,
        author=bob,
        body="@alice you again",
        parent=first,
    )
    run_tasks()
    assert kinds_of(alice) == [Kind.REPLY]


def test_a_mention_notifies_the_registered_user_only_outside_code(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob, carol
):
    post(
        django_capture_on_commit_callbacks,
        thread=thread,
        author=alice,
        body="Ask @bob, not `@carol`, nor @nobody.\n\n    @carol in a block",
    )
    run_tasks()
    assert kinds_of(bob) == [Kind.MENTION]
    assert kinds_of(carol) == []


def test_at_most_ten_mentions_of_a_post_notify(
    django_capture_on_commit_callbacks, run_tasks, thread, alice
):
    users = [make_user(f"reader{n}") for n in range(12)]
    body = " ".join(f"@{user.username}" for user in users)
    post(django_capture_on_commit_callbacks, thread=thread, author=alice, body=body)
    run_tasks()
    mentioned = Notification.objects.filter(kind=Kind.MENTION)
    assert sorted(mentioned.values_list("recipient__username", flat=True)) == sorted(
        user.username for user in users[:10]
    )


def test_an_edit_adding_a_mention_notifies_the_newly_mentioned_once(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob, carol
):
    written = post(
        django_capture_on_commit_callbacks, thread=thread, author=alice, body="Ask @bob."
    )
    run_tasks()
    for body in ("Ask @bob and @carol.", "Ask @bob and @carol, please."):
        with django_capture_on_commit_callbacks(execute=True):
            services.edit_post(post=written, editor=alice, body=body)
        run_tasks()
    assert kinds_of(carol) == [Kind.MENTION]
    assert kinds_of(bob) == [Kind.MENTION]


def test_a_muted_user_never_notifies_the_muter(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob, carol
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    following.follow(user=carol, thread=thread)
    following.mute(user=alice, muted=bob)
    muted = post(
        django_capture_on_commit_callbacks, thread=thread, author=bob, body="@alice", parent=first
    )
    run_tasks()
    assert kinds_of(alice) == []
    assert Notification.objects.get(recipient=carol).post == muted  # bob's post did notify


def test_imported_posts_notify_nobody(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    following.follow(user=alice, thread=thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_post(
            thread=thread, author_name="bob", body="@alice imported", created_at=None
        )
        Post.objects.filter(thread=thread).update(external_id="disqus:1")
    post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="Live.")
    run_tasks()
    assert [n.post.body for n in Notification.objects.filter(recipient=alice)] == ["Live."]


def test_a_held_post_notifies_when_approved_and_its_author_hears_of_the_approval(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    run_tasks()
    thread.is_premoderated = True
    thread.save()
    held = post(
        django_capture_on_commit_callbacks, thread=thread, author=bob, body="Hi.", parent=first
    )
    run_tasks()
    assert held.status == Post.Status.PENDING
    assert kinds_of(alice) == []
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_post(post=held, moderator=make_moderator("mod"))
    run_tasks()
    assert kinds_of(alice) == [Kind.REPLY]
    assert kinds_of(bob) == [Kind.APPROVED]


def test_a_removed_post_leaves_the_inbox_and_its_author_hears_why(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    reply = post(
        django_capture_on_commit_callbacks, thread=thread, author=bob, body="Rude.", parent=first
    )
    run_tasks()
    assert kinds_of(alice) == [Kind.REPLY]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.remove_post(post=reply, moderator=make_moderator("mod"), reason="Be kind.")
    run_tasks()
    assert kinds_of(alice) == []
    removal = Notification.objects.get(recipient=bob, post=reply)
    assert (removal.kind, removal.reason) == (Kind.REMOVED, "Be kind.")


def test_a_post_its_author_deletes_leaves_the_inbox(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    reply = post(
        django_capture_on_commit_callbacks, thread=thread, author=bob, body="Oops.", parent=first
    )
    run_tasks()
    assert kinds_of(alice) == [Kind.REPLY]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(post=reply, author=bob)
    run_tasks()
    assert kinds_of(alice) == []
    assert Post.objects.get(pk=reply.pk).status == Post.Status.DELETED


def test_a_post_hidden_by_flags_leaves_the_inbox_until_a_moderator_keeps_it(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    from notifications.models import Notification as Stored

    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    reply = post(
        django_capture_on_commit_callbacks, thread=thread, author=bob, body="Hm.", parent=first
    )
    run_tasks()
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.PENDING)  # as flags hide it
    assert not Stored.objects.for_inbox(alice).exists()
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.PUBLISHED)
    assert Stored.objects.for_inbox(alice).get().post == reply
