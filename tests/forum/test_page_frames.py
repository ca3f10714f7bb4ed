"""A logged-in reader's page frame is kept, and never shows what is no longer so or not theirs.

The frame (forum/rendering/frames.py) is the template page around the discussion: the header
with the reader's name and unread count, the follow button, the comment form. Each case reads a
page once, so its frame is kept, changes one thing the frame shows, and reads again.
"""

import pytest
from django.contrib.auth.models import Group
from django.utils.timezone import localtime

from forum import moderation, votes
from forum.models import Post, Vote
from forum.rendering import cache as page_cache
from notifications import following
from notifications.models import Kind, Notification
from tests.factories import (
    make_article,
    make_moderator,
    make_post,
    make_thread,
    make_user,
    returning_reader,
)
from tests.forum.posting_pages import open_page, send
from tests.markup import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    article = make_article("Stations in orbit")
    thread = make_thread("Stations in orbit", article=article)
    make_post(thread, author_name="Bob", body="Bob's first thought.")
    return thread


@pytest.fixture
def carol():
    return make_user("carol")


def frame_misses():
    return page_cache.stats["frame_misses"]


def reply_action(thread):
    return f"/forum/{thread.slug}/reply/"


def test_a_members_second_read_is_served_from_the_kept_frame(thread, carol):
    client = returning_reader(carol)
    first = client.get(thread.get_absolute_url()).content.decode()
    misses = frame_misses()
    second = client.get(thread.get_absolute_url()).content.decode()

    assert frame_misses() == misses
    assert "Signed in as" in second and "carol" in second
    assert "Bob's first thought." in second
    # The same page but for the two tokens, which differ per request.
    assert len(first) == len(second)


def test_each_read_of_a_kept_frame_gets_a_csrf_token_that_is_accepted(thread, carol):
    client = returning_reader(carol, enforce_csrf_checks=True)
    client.get(thread.get_absolute_url())
    page = open_page(client, thread.get_absolute_url())
    follow = f"/notifications/follow/{thread.pk}/"

    response = send(client, page, follow)

    assert response.status_code == 302
    assert following.follows(carol, thread)


def test_two_comments_written_from_two_reads_of_a_kept_frame_are_both_stored(thread, carol):
    client = returning_reader(carol)
    first_page = open_page(client, thread.get_absolute_url())
    second_page = open_page(client, thread.get_absolute_url())

    send(client, first_page, reply_action(thread), body="The first of my two comments.")
    send(client, second_page, reply_action(thread), body="The second of my two comments.")

    bodies = set(Post.objects.filter(author=carol).values_list("body", flat=True))
    assert bodies == {"The first of my two comments.", "The second of my two comments."}


def test_two_members_share_the_frame_but_each_sees_their_own_header_and_follow(thread, carol):
    dave = make_user("dave")
    following.follow(user=dave, thread=thread)
    carols, daves = returning_reader(carol), returning_reader(dave)
    carols_page = Page(carols.get(thread.get_absolute_url()).content.decode())
    misses = frame_misses()
    daves_page = Page(daves.get(thread.get_absolute_url()).content.decode())

    assert frame_misses() == misses  # dave's page is carol's frame, with dave's parts
    for page, name, button in ((carols_page, "carol", "Follow"), (daves_page, "dave", "Unfollow")):
        assert page.text(page.find_all("li", "signed-in-as")[0]) == f"Signed in as {name}"
        (follow_form,) = page.find_all("form", "follow-form")
        assert page.text(follow_form).strip() == button


def test_a_notification_shows_in_the_header_at_once(thread, carol):
    client = returning_reader(carol)
    mine = make_post(thread, author=carol, body="Carol asks a question.")
    answer = make_post(thread, parent=mine, author=make_user("erin"), body="An answer.")
    assert "unread-count" not in client.get(thread.get_absolute_url()).content.decode()

    # The worker's fan-out writes the notification, and nothing of the thread.
    Notification.objects.create(recipient=carol, kind=Kind.REPLY, post=answer)

    page = Page(client.get(thread.get_absolute_url()).content.decode())
    assert page.text(page.find_all("span", "unread-count")[0]) == "1"


def test_following_shows_as_unfollow_at_once(thread, carol):
    client = returning_reader(carol)
    assert "Unfollow" not in client.get(thread.get_absolute_url()).content.decode()

    following.follow(user=carol, thread=thread)

    assert "Unfollow" in client.get(thread.get_absolute_url()).content.decode()


def test_a_ban_takes_the_comment_form_away_at_once(thread, carol):
    client = returning_reader(carol)
    assert 'id="comment-body"' in client.get(thread.get_absolute_url()).content.decode()

    moderation.ban_user(user=carol, moderator=make_moderator("mod"), reason="Spam")

    html = client.get(thread.get_absolute_url()).content.decode()
    assert 'id="comment-body"' not in html
    assert "Spam" in html


def test_joining_the_moderators_brings_the_moderation_link_at_once(thread, carol):
    client = returning_reader(carol)
    assert "Moderation" not in client.get(thread.get_absolute_url()).content.decode()

    carol.groups.add(Group.objects.get(name="Moderators"))

    assert ">Moderation</a>" in client.get(thread.get_absolute_url()).content.decode()


def test_a_renamed_member_sees_their_new_name_at_once(thread, carol):
    client = returning_reader(carol)
    client.get(thread.get_absolute_url())

    carol.username = "caroline"
    carol.save()

    page = Page(client.get(thread.get_absolute_url()).content.decode())
    assert page.text(page.find_all("li", "signed-in-as")[0]) == "Signed in as caroline"


def test_a_waiting_message_is_shown_once_and_its_page_not_kept(thread, carol):
    client = returning_reader(carol)
    client.post(f"/notifications/follow/{thread.pk}/", {"next": "/"})  # leaves a message
    misses = frame_misses()

    with_message = client.get(thread.get_absolute_url()).content.decode()
    assert frame_misses() == misses  # rendered, but neither looked for nor kept
    after = client.get(thread.get_absolute_url()).content.decode()

    assert "You follow" in with_message
    assert "You follow" not in after
    assert frame_misses() == misses + 1


def test_a_query_the_page_does_not_understand_is_not_kept(thread, carol):
    client = returning_reader(carol)
    for n in range(3):
        html = client.get(f"{thread.get_absolute_url()}?x={n}").content.decode()
        assert f"?x={n}" in html  # the way back after logging out keeps the address
    misses = frame_misses()

    client.get(f"{thread.get_absolute_url()}?x=3")

    assert frame_misses() == misses  # rendered, but neither looked for nor kept


def test_the_forum_page_of_a_discussion_is_kept_too(thread, carol):
    client = returning_reader(carol)
    client.get(thread.get_forum_url())
    misses = frame_misses()

    html = client.get(thread.get_forum_url()).content.decode()

    assert frame_misses() == misses
    assert "Bob's first thought." in html


def test_a_vote_keeps_the_frame_and_shows_in_the_score(thread, carol):
    client = returning_reader(carol)
    post = Post.objects.get(thread=thread)
    client.get(thread.get_absolute_url())
    misses = frame_misses()

    votes.cast_vote(post=post, voter=make_user("erin"), value=Vote.Value.UP)

    page = Page(client.get(thread.get_absolute_url()).content.decode())
    assert frame_misses() == misses  # the frame shows no vote
    assert page.text(page.find_all("span", "score")[0]) == "1 point"


def count_shown(html, page):
    """The count of comments where the page says it: above the comments, or in the header."""
    shown = Page(html)
    if page == "article":
        return shown.text("comments-heading")
    return " ".join(shown.text(shown.find_all("p", "meta")[0]).split()[:2])


@pytest.mark.parametrize("page", ["article", "forum"])
def test_a_reply_keeps_the_frame_and_shows_the_new_count(thread, carol, page):
    client = returning_reader(carol)
    url = thread.get_absolute_url() if page == "article" else thread.get_forum_url()
    assert count_shown(client.get(url).content.decode(), page) == "1 comment"
    misses = frame_misses()

    make_post(thread, author_name="Erin", body="A second comment.")

    html = client.get(url).content.decode()
    assert frame_misses() == misses  # the count is a per-request part
    assert count_shown(html, page) == "2 comments"


def test_the_forum_pages_description_and_last_activity_follow_each_reply(thread, carol):
    client = returning_reader(carol)
    client.get(thread.get_forum_url())
    later = make_post(thread, author_name="Erin", body="A second comment.")

    html = client.get(thread.get_forum_url()).content.decode()

    assert "a discussion on Parley, with 2 comments." in html
    assert f'<time datetime="{localtime(later.created_at).isoformat()}"' in html
