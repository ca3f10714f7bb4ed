"""Readers reporting posts, and what readers and moderators see of held and removed posts."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from forum import moderation
from forum.models import Flag, ModerationRecord, Post, Thread
from tests.factories import make_moderator, make_post, make_user, set_status
from tests.markup import Page

pytestmark = pytest.mark.django_db

Status = Post.Status


@pytest.fixture
def post(thread):
    return make_post(thread, author=make_user("kirk"), body="Which one did I miss?")


@pytest.fixture
def member(client):
    user = make_user("nadia")
    client.force_login(user)
    return user


def text_of(response):
    return " ".join(response.content.decode().split())


def flag_url(post):
    return reverse("forum:post-flag", args=[post.pk])


def footer_links(client, thread, post):
    """The link texts in the post's footer on its thread page."""
    page = Page(client.get(thread.get_forum_url()).content.decode())
    article = page.by_id[f"post-{post.pk}"]
    return [
        " ".join(page.text(link).split())
        for link in page.find_all("a")
        if article in link.ancestors() and link.nearest("footer") is not None
    ]


def test_a_member_reports_a_post_with_a_reason_and_is_thanked(client, member, post):
    back = f"{post.thread.get_forum_url()}#post-{post.pk}"

    response = client.post(
        flag_url(post), {"reason": "abuse", "note": "Insults.", "next": back}, follow=True
    )

    assert response.redirect_chain == [(back, 302)]
    assert "Thank you: the moderators will look at this comment." in text_of(response)
    flag = Flag.objects.get()
    assert (flag.post, flag.reporter, flag.reason, flag.note) == (
        post,
        member,
        "abuse",
        "Insults.",
    )


def test_the_report_form_offers_each_reason(client, member, post):
    page = Page(client.get(flag_url(post)).content.decode())

    reasons = [i.attrs["value"] for i in page.find_all("input") if i.attrs.get("name") == "reason"]
    assert reasons == ["spam", "abuse", "off-topic", "other"]
    assert "Which one did I miss?" in text_of(client.get(flag_url(post)))


def test_other_without_a_note_is_refused_and_keeps_the_choice(client, member, post):
    response = client.post(flag_url(post), {"reason": "other", "note": " "})

    assert response.status_code == 400
    assert "Say what is wrong with this comment." in text_of(response)
    page = Page(response.content.decode())
    (other,) = (i for i in page.find_all("input") if i.attrs.get("value") == "other")
    assert "checked" in other.attrs
    assert not Flag.objects.exists()


def test_reporting_a_post_twice_is_refused(client, member, post):
    client.post(flag_url(post), {"reason": "spam"})

    response = client.post(flag_url(post), {"reason": "abuse"})

    assert response.status_code == 400
    assert "You have already reported this comment." in text_of(response)
    assert list(Flag.objects.values_list("reason", flat=True)) == ["spam"]


def test_a_member_cannot_report_their_own_post(client, post):
    client.force_login(post.author)

    response = client.post(flag_url(post), {"reason": "spam"})

    assert response.status_code == 403
    assert "You cannot report your own comment." in text_of(response)
    assert not Flag.objects.exists()


def test_a_post_others_cannot_read_cannot_be_reported(client, member, post):
    set_status(post, Status.PENDING)

    assert client.post(flag_url(post), {"reason": "spam"}).status_code == 404
    assert not Flag.objects.exists()


LOCKED = "This discussion is locked: its comments can no longer be reported."


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_cannot_report_a_post_in_a_locked_discussion(client, member, post, method):
    Thread.objects.filter(pk=post.thread_id).update(is_locked=True)

    response = getattr(client, method)(flag_url(post), {"reason": "spam"})

    assert response.status_code == 403
    page = Page(response.content.decode())
    (notice,) = page.find_all("p", "notice-refused")
    assert page.text(notice) == LOCKED
    assert not Flag.objects.exists()


def test_a_report_sent_as_the_discussion_is_locked_is_refused(member, post):
    Thread.objects.filter(pk=post.thread_id).update(is_locked=True)

    with pytest.raises(ValidationError) as refusal:
        moderation.flag_post(post=post, reporter=member, reason=Flag.Reason.SPAM)

    assert refusal.value.messages == [LOCKED]
    assert not Flag.objects.exists()


def test_a_locked_discussion_shows_members_no_report_link(client, member, thread, post):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    assert "Report" not in footer_links(client, thread, post)


@override_settings(PARLEY_FLAGS_TO_HIDE=3)
def test_the_third_report_hides_the_post_and_puts_it_in_the_queue(client, post):
    for _ in range(3):
        client.force_login(make_user())
        response = client.post(flag_url(post), {"reason": "spam"}, follow=True)

    assert response.status_code == 200  # the reporter lands on the discussion, not a 404
    assert Post.objects.get(pk=post.pk).status == Status.PENDING
    assert "Which one did I miss?" not in text_of(client.get(post.thread.get_forum_url()))
    assert post in Post.objects.awaiting_moderation()
    assert ModerationRecord.objects.get().action == ModerationRecord.Action.HIDE_FLAGGED


def test_members_get_a_report_link_on_others_posts_only(client, member, thread, post):
    own = make_post(thread, author=member)

    assert "Report" in footer_links(client, thread, post)
    assert "Report" not in footer_links(client, thread, own)


def test_anonymous_readers_get_no_report_link_and_are_sent_to_log_in(client, thread, post):
    assert "Report" not in footer_links(client, thread, post)

    response = client.get(flag_url(post))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_only_moderators_get_the_moderation_menu_on_a_post(client, member, thread, post):
    assert "Remove" not in footer_links(client, thread, post)

    client.force_login(make_moderator())
    links = footer_links(client, thread, post)

    assert links[links.index("Remove") :] == [
        "Remove",
        "Remove with replies",
        "Mark as spam",
        "Move",
        "Split into a new discussion",
        "Ban kirk",
    ]


# Held and removed posts, in place


def test_moderators_see_held_and_removed_posts_in_place_marked(client, thread, post):
    held = make_post(thread, body="Waiting for a decision.", status=Status.PENDING)
    make_post(thread, parent=post, body="A reply that stays.")
    set_status(post, Status.REMOVED)
    client.force_login(make_moderator())

    page = Page(client.get(thread.get_forum_url()).content.decode())

    removed_text = " ".join(page.text(f"post-{post.pk}").split())
    held_text = " ".join(page.text(f"post-{held.pk}").split())
    assert "Which one did I miss?" in removed_text and "removed" in removed_text
    assert "Waiting for a decision." in held_text and "awaiting moderation" in held_text
    assert "Restore" in footer_links(client, thread, post)


def test_readers_see_removed_posts_as_a_placeholder_and_never_held_ones(client, thread, post):
    held = make_post(thread, body="Waiting for a decision.", status=Status.PENDING)
    make_post(thread, parent=post, body="A reply that stays.")
    moderation.remove_post(post=post, moderator=make_moderator(), reason="")
    client.force_login(make_user())

    page = Page(client.get(thread.get_forum_url()).content.decode())

    assert " ".join(page.text(f"post-{post.pk}").split()) == "[removed]"
    assert f"post-{held.pk}" not in page.by_id
    assert "A reply that stays." in page.text(f"replies-{post.pk}")
