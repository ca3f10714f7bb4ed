"""The moderation pages: the queue, actions on posts, threads and users, through the site and
the admin alike, and what each leaves in the tree and the audit log."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum import moderation, trees
from forum.models import Ban, Flag, ModerationRecord, Post, Thread
from forum.moderation.views import actions as moderation_views
from tests.factories import make_post, make_thread, make_user, set_status
from tests.markup import Page

pytestmark = pytest.mark.django_db

Action = ModerationRecord.Action
Status = Post.Status


@pytest.fixture
def branch(thread):
    """A post by a member with two replies under it, the second a reply to the first."""
    author = make_user("kirk")
    post = make_post(thread, author=author, body="Which one did I miss?")
    reply = make_post(thread, parent=post, body="The one before launch.")
    nested = make_post(thread, parent=reply, body="Found on the ground.")
    return post, reply, nested


def flag(post, times=1, reason=Flag.Reason.SPAM):
    for _ in range(times):
        moderation.flag_post(post=post, reporter=make_user(), reason=reason)


def statuses(*posts):
    return [Post.objects.get(pk=post.pk).status for post in posts]


def records():
    return list(ModerationRecord.objects.order_by("pk").values_list("action", "post_id"))


def page_of(response):
    return Page(response.content.decode())


def reader_sees(client, thread):
    """The thread page's text as an anonymous reader sees it."""
    client.logout()
    response = client.get(thread.get_forum_url())
    return " ".join(response.content.decode().split())


def admin_action(client, model, action, objects):
    return client.post(
        reverse(f"admin:forum_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


# The queue


def test_the_queue_lists_held_and_flagged_posts_newest_first(client, moderator, thread):
    now = timezone.now()
    held = make_post(thread, status=Status.PENDING, created_at=now - timedelta(hours=2))
    flagged = make_post(thread, created_at=now - timedelta(hours=1))
    make_post(thread, body="Nothing wrong here.", created_at=now)
    flag(flagged)

    response = client.get(reverse("moderation:queue"))

    assert [entry.post for entry in response.context["entries"]] == [flagged, held]
    entries = page_of(response).find_all("li", "queue-entry")
    assert [entry.attrs["id"] for entry in entries] == [
        f"queue-post-{flagged.pk}",
        f"queue-post-{held.pk}",
    ]
    assert "Nothing wrong here." not in response.content.decode()


def test_a_queue_entry_shows_thread_parent_reports_and_the_authors_history(
    client, moderator, thread, branch
):
    post, reply, _nested = branch
    older = make_post(make_thread("Launch pads"), author=post.author, body="An older post.")
    set_status(older, Status.SPAM)
    moderation.flag_post(
        post=reply, reporter=make_user("nadia"), reason=Flag.Reason.OTHER, note="Rude."
    )
    reply.author = post.author  # the reply is Kirk's too, for a history to show
    Post.objects.filter(pk=reply.pk).update(author=post.author)

    response = client.get(reverse("moderation:queue"))

    page = page_of(response)
    text = " ".join(page.text(f"queue-post-{reply.pk}").split())
    assert "In Orbital stations" in text
    assert "In reply to kirk: Which one did I miss?" in text
    assert "1 report" in text and "other: Rude. by nadia" in text
    assert "Which one did I miss? published in Orbital stations" in text
    assert "An older post. spam in Launch pads" in text


def test_the_queue_page_costs_the_same_queries_for_two_posts_or_twelve(client, moderator, thread):
    def queue_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("moderation:queue")).status_code == 200
        return len(queries)

    def add_flagged_posts(count):
        for _ in range(count):
            author = make_user()
            make_post(thread, author=author)
            post = make_post(thread, parent=make_post(thread), author=author)
            flag(post, times=2)

    add_flagged_posts(2)
    few = queue_queries()
    add_flagged_posts(10)
    assert queue_queries() == few


def test_the_queue_is_paginated(client, moderator, thread, monkeypatch):
    monkeypatch.setattr(moderation_views, "QUEUE_PER_PAGE", 2)
    posts = [make_post(thread, status=Status.PENDING) for _ in range(3)]

    response = client.get(reverse("moderation:queue"), {"page": 2})

    assert [entry.post for entry in response.context["entries"]] == [posts[0]]
    assert "Page 2 of 2" in response.content.decode()


def test_approving_from_the_queue_publishes_and_comes_back_with_a_message(
    client, moderator, thread
):
    held = make_post(thread, status=Status.PENDING)
    back = reverse("moderation:queue") + "?page=1"

    response = client.post(
        reverse("moderation:post-approve", args=[held.pk]), {"next": back}, follow=True
    )

    assert response.redirect_chain == [(back, 302)]
    assert "Approved: the post is published." in response.content.decode()
    assert statuses(held) == [Status.PUBLISHED]
    assert records() == [(Action.APPROVE, held.pk)]


def test_removing_from_the_queue_asks_for_an_optional_reason_first(client, moderator, thread):
    held = make_post(thread, status=Status.PENDING)
    queue = page_of(client.get(reverse("moderation:queue")))
    (remove,) = [a for a in queue.find_all("a") if queue.text(a) == "Remove…"]

    form = page_of(client.get(remove.attrs["href"]))
    assert "Reason (optional)" in form.text(form.find_all("form", "confirm-form")[0])
    assert statuses(held) == [Status.PENDING]

    response = client.post(remove.attrs["href"], {"reason": "Off topic."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("moderation:queue")
    assert statuses(held) == [Status.REMOVED]
    assert list(ModerationRecord.objects.values_list("reason", flat=True)) == ["Off topic."]


def test_the_bulk_form_starts_on_no_action_and_refuses_to_guess_one(client, moderator, thread):
    held = make_post(thread, status=Status.PENDING)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert '<option value="" selected>Choose an action…</option>' in queue

    response = client.post(reverse("moderation:queue"), {"posts": [held.pk]}, follow=True)

    assert "Choose what to do with the selected posts." in response.content.decode()
    assert statuses(held) == [Status.PENDING]
    assert not ModerationRecord.objects.exists()


def test_a_next_address_on_another_site_is_not_followed(client, moderator, thread):
    held = make_post(thread, status=Status.PENDING)
    url = reverse("moderation:post-approve", args=[held.pk])

    response = client.post(url, {"next": "https://evil.example/"})

    assert response["Location"] == held.get_absolute_url()


def test_bulk_removal_removes_each_selected_post_through_the_service(client, moderator, thread):
    first, second, kept = (make_post(thread, status=Status.PENDING) for _ in range(3))

    response = client.post(
        reverse("moderation:queue"),
        {"action": "remove", "posts": [first.pk, second.pk], "reason": "Off topic."},
        follow=True,
    )

    assert "(2 of 2 posts)" in response.content.decode()
    assert statuses(first, second, kept) == [Status.REMOVED, Status.REMOVED, Status.PENDING]
    assert sorted(records()) == sorted([(Action.REMOVE, first.pk), (Action.REMOVE, second.pk)])
    assert set(ModerationRecord.objects.values_list("reason", flat=True)) == {"Off topic."}
    assert trees.tree_faults() == []


def test_bulk_action_reports_each_refusal_and_does_the_rest(client, moderator, thread):
    published, held = make_post(thread), make_post(thread, status=Status.PENDING)

    response = client.post(
        reverse("moderation:queue"), {"action": "approve", "posts": [published.pk, held.pk]}
    )
    shown = " ".join(client.get(response["Location"]).content.decode().split())

    assert "This post is already published." in shown and "(1 of 2 posts)" in shown
    assert records() == [(Action.APPROVE, held.pk)]


def test_bulk_ban_bans_each_author_once(client, moderator, thread):
    spammer, other = make_user("spammer"), make_user("other")
    posts = [make_post(thread, author=spammer), make_post(thread, author=spammer)]
    posts.append(make_post(thread, author=other))

    client.post(
        reverse("moderation:queue"),
        {
            "action": "ban",
            "posts": [post.pk for post in posts],
            "reason": "Link spam.",
            "duration": "30",
        },
    )

    bans = Ban.objects.order_by("user__username")
    assert [(ban.user, ban.reason) for ban in bans] == [
        (other, "Link spam."),
        (spammer, "Link spam."),
    ]
    for ban in bans:
        assert ban.until - timezone.now() == pytest.approx(
            timedelta(days=30), abs=timedelta(minutes=1)
        )
    assert ModerationRecord.objects.filter(action=Action.BAN).count() == 2


def test_bulk_ban_without_a_reason_is_refused_and_bans_nobody(client, moderator, thread):
    post = make_post(thread, author=make_user())

    response = client.post(
        reverse("moderation:queue"),
        {"action": "ban", "posts": [post.pk], "duration": "7"},
        follow=True,
    )

    assert "Say why: the banned users will be shown the reason." in response.content.decode()
    assert not Ban.objects.exists() and not ModerationRecord.objects.exists()


def test_bulk_action_without_a_selection_says_so(client, moderator):
    response = client.post(reverse("moderation:queue"), {"action": "spam"}, follow=True)

    assert "Select at least one post." in response.content.decode()
    assert not ModerationRecord.objects.exists()


@pytest.mark.parametrize("number", ["9" * 30, "-99999999999999999999", "x"])
def test_bulk_action_on_a_post_that_cannot_exist_is_refused_and_changes_nothing(
    client, moderator, thread, number
):
    # Found by the fuzz suite: SQLite raised OverflowError on a number past any id.
    held = make_post(thread, status=Status.PENDING)

    response = client.post(
        reverse("moderation:queue"), {"action": "approve", "posts": [held.pk, number]}, follow=True
    )

    assert f"“{number}” is not a valid value." in response.content.decode()
    assert statuses(held) == [Status.PENDING]
    assert not ModerationRecord.objects.exists()


# Actions on a post, on the site and in the admin: one code path, one record each

SITE_ACTIONS = {
    "approve": "moderation:post-approve",
    "remove": "moderation:post-remove",
    "remove-subtree": "moderation:post-remove-subtree",
    "spam": "moderation:post-spam",
}
ADMIN_ACTIONS = {
    "approve": "approve",
    "remove": "remove",
    "remove-subtree": "remove_with_replies",
    "spam": "mark_as_spam",
}


@pytest.fixture(params=["site", "admin"])
def act(request, client, moderator):
    """Do a moderation action on a post through the moderation pages or the Post admin."""

    def on_the_site(name, post):
        return client.post(reverse(SITE_ACTIONS[name], args=[post.pk]), follow=True)

    def in_the_admin(name, post):
        return admin_action(client, "post", ADMIN_ACTIONS[name], [post])

    return on_the_site if request.param == "site" else in_the_admin


def test_removing_a_post_keeps_its_replies_under_a_removed_placeholder(act, client, branch):
    post, reply, nested = branch

    assert act("remove", post).status_code == 200

    assert statuses(post, reply, nested) == [Status.REMOVED, Status.PUBLISHED, Status.PUBLISHED]
    assert records() == [(Action.REMOVE, post.pk)]
    assert trees.tree_faults() == []
    shown = reader_sees(client, post.thread)
    assert "[removed]" in shown and "Which one did I miss?" not in shown
    assert "The one before launch." in shown and "Found on the ground." in shown


def test_removing_a_subtree_hides_the_post_and_every_reply(act, client, branch):
    post, reply, nested = branch

    act("remove-subtree", post)

    assert statuses(post, reply, nested) == [Status.REMOVED] * 3
    assert records() == [(Action.REMOVE_SUBTREE, post.pk)]
    assert trees.tree_faults() == []
    assert Thread.objects.get(pk=post.thread_id).post_count == 0
    shown = reader_sees(client, post.thread)
    assert "The one before launch." not in shown and "Found on the ground." not in shown


def test_marking_spam_hides_the_post_and_keeps_its_text(act, client, branch):
    post, reply, _nested = branch

    act("spam", post)

    assert statuses(post, reply) == [Status.SPAM, Status.PUBLISHED]
    assert Post.objects.get(pk=post.pk).body == "Which one did I miss?"
    assert records() == [(Action.SPAM, post.pk)]
    assert trees.tree_faults() == []
    assert "[removed]" in reader_sees(client, post.thread)


def test_approving_a_post_hidden_by_reports_publishes_it_and_closes_them(act, client, branch):
    post, *_ = branch
    flag(post, times=3)
    assert statuses(post) == [Status.PENDING]

    act("approve", post)

    assert statuses(post) == [Status.PUBLISHED]
    assert not Flag.objects.open().exists()
    assert records() == [(Action.HIDE_FLAGGED, post.pk), (Action.APPROVE, post.pk)]
    assert "Which one did I miss?" in reader_sees(client, post.thread)


def test_a_refused_action_says_why_and_stores_nothing(client, moderator, branch):
    post, *_ = branch

    response = client.post(reverse("moderation:post-approve", args=[post.pk]), follow=True)

    assert "This post is already published." in response.content.decode()
    assert not ModerationRecord.objects.exists()


def test_the_confirmation_page_shows_the_post_and_asks_for_a_reason(client, moderator, branch):
    post, *_ = branch

    response = client.get(reverse("moderation:post-remove", args=[post.pk]), {"next": "/forum/"})

    page = page_of(response)
    assert "Which one did I miss?" in response.content.decode()
    (form,) = page.find_all("form", "moderation-form")
    fields = {
        element.attrs["name"]: element.attrs.get("value")
        for element in page.elements
        if form in element.ancestors() and "name" in element.attrs
    }
    assert fields.keys() == {"csrfmiddlewaretoken", "reason", "next"}
    assert fields["next"] == "/forum/"
    assert not ModerationRecord.objects.exists()


def test_the_reason_given_is_kept_in_the_record(client, moderator, branch):
    post, *_ = branch

    client.post(reverse("moderation:post-remove", args=[post.pk]), {"reason": "Insults."})

    assert ModerationRecord.objects.get().reason == "Insults."


# Moving and splitting


def test_moving_a_post_carries_its_replies_under_the_new_parent(client, moderator, branch):
    post, reply, nested = branch
    target = make_post(post.thread, body="The right place.")

    response = client.post(
        reverse("moderation:post-move", args=[reply.pk]), {"target": str(target.pk)}, follow=True
    )

    assert response.redirect_chain[0] == (reply.get_absolute_url(), 302)
    assert "Moved, with its replies." in response.content.decode()
    assert Post.objects.get(pk=reply.pk).parent_id == target.pk
    assert Post.objects.get(pk=nested.pk).parent_id == reply.pk
    assert records() == [(Action.MOVE, reply.pk)]
    assert trees.tree_faults() == []


@pytest.mark.parametrize(
    "link",
    [
        "/forum/post/{pk}/",
        "http://testserver/forum/post/{pk}/",
        "http://testserver/forum/some-thread/?page=2#post-{pk}",
        "  {pk} ",
    ],
)
def test_moving_takes_a_posts_number_or_link_as_the_target(client, moderator, branch, link):
    post, reply, _nested = branch
    target = make_post(post.thread)

    client.post(
        reverse("moderation:post-move", args=[reply.pk]), {"target": link.format(pk=target.pk)}
    )

    assert Post.objects.get(pk=reply.pk).parent_id == target.pk


def test_moving_under_one_of_its_own_replies_is_refused_with_the_reason(client, moderator, branch):
    post, _reply, nested = branch

    response = client.post(
        reverse("moderation:post-move", args=[post.pk]), {"target": str(nested.pk)}
    )

    assert response.status_code == 400
    assert "cannot be moved under itself or one of its own replies" in response.content.decode()
    assert Post.objects.get(pk=post.pk).parent_id is None
    assert not ModerationRecord.objects.exists()
    assert trees.tree_faults() == []


def test_moving_under_a_post_of_another_discussion_is_refused(client, moderator, branch):
    _post, reply, _nested = branch
    elsewhere = make_post(make_thread("Elsewhere"))

    response = client.post(
        reverse("moderation:post-move", args=[reply.pk]), {"target": str(elsewhere.pk)}
    )

    assert response.status_code == 400
    assert f"There is no post {elsewhere.pk} in this discussion." in response.content.decode()
    assert Post.objects.get(pk=reply.pk).parent_id != elsewhere.pk
    assert not ModerationRecord.objects.exists()


def test_moving_to_an_address_that_is_no_post_is_refused(client, moderator, branch):
    _post, reply, _nested = branch

    response = client.post(reverse("moderation:post-move", args=[reply.pk]), {"target": "/forum/"})

    assert response.status_code == 400
    assert "Give the number of a post, or its link" in response.content.decode()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("²", "Give the number of a post, or its link"),
        ("/forum/x/#post-²", "Give the number of a post, or its link"),
        ("9" * 30, f"There is no post {'9' * 30} in this discussion."),
    ],
)
def test_moving_to_a_number_that_is_no_post_is_refused_with_the_reason(
    client, moderator, branch, target, message
):
    _post, reply, _nested = branch
    parent_before = Post.objects.get(pk=reply.pk).parent_id

    response = client.post(reverse("moderation:post-move", args=[reply.pk]), {"target": target})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Post.objects.get(pk=reply.pk).parent_id == parent_before
    assert not ModerationRecord.objects.exists()


def test_splitting_starts_a_new_discussion_with_the_post_and_its_replies(
    client, moderator, thread, branch
):
    _post, reply, nested = branch
    make_post(thread, body="Stays behind.")

    response = client.post(
        reverse("moderation:post-split", args=[reply.pk]),
        {"title": "Found on the ground", "reason": "A topic of its own."},
        follow=True,
    )

    new_thread = Thread.objects.get(title="Found on the ground")
    assert response.redirect_chain[0] == (new_thread.get_forum_url(), 302)
    assert "Found on the ground." in response.content.decode()
    moved = Post.objects.filter(pk__in=[reply.pk, nested.pk])
    assert set(moved.values_list("thread_id", flat=True)) == {new_thread.pk}
    assert Post.objects.get(pk=reply.pk).parent_id is None
    assert (new_thread.post_count, Thread.objects.get(pk=thread.pk).post_count) == (2, 2)
    assert records() == [(Action.SPLIT, reply.pk)]
    assert trees.tree_faults() == []


@pytest.mark.parametrize("status", [Status.PENDING, Status.REMOVED, Status.SPAM, Status.DELETED])
def test_splitting_a_post_that_is_not_published_is_refused_and_lists_no_empty_discussion(
    client, moderator, branch, status
):
    post, reply, nested = branch
    set_status(reply, status)
    url = reverse("moderation:post-split", args=[reply.pk])

    response = client.post(url, {"title": "Found on the ground"})

    assert response.status_code == 400
    page = page_of(response)
    assert "Only a published post can start a new discussion" in page.text(
        page.find_all("main")[0]
    )
    assert list(Thread.objects.all()) == [post.thread]
    assert Post.objects.get(pk=reply.pk).parent_id == post.pk
    assert Post.objects.get(pk=nested.pk).thread_id == post.thread_id
    assert not ModerationRecord.objects.exists()
    assert "Found on the ground" not in client.get(reverse("forum:thread-list")).content.decode()


def test_only_a_published_post_offers_split_in_its_moderation_menu(client, moderator, branch):
    post, reply, _nested = branch
    set_status(reply, Status.REMOVED)

    page = page_of(client.get(post.thread.get_forum_url()))

    def split_links(of):
        url = reverse("moderation:post-split", args=[of.pk])
        return [link for link in page.find_all("a") if link.attrs.get("href") == url]

    assert len(split_links(post)) == 1
    assert split_links(reply) == []


def test_splitting_without_a_title_is_refused_and_moves_nothing(client, moderator, branch):
    post, reply, _nested = branch

    response = client.post(reverse("moderation:post-split", args=[reply.pk]), {"title": " "})

    assert response.status_code == 400
    assert Post.objects.get(pk=reply.pk).thread_id == post.thread_id
    assert Thread.objects.count() == 1 and not ModerationRecord.objects.exists()
