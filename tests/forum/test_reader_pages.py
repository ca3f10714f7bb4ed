"""A logged-in reader's page is kept for them alone, and let go when anything on it changes.

The page (forum/rendering/reader_pages.py) is served again, whole, to the same session while
the thread, the session, the account and what apps show of the reader are as they were. Each
case reads a page so that it is kept, changes one thing the page shows, and reads again.
"""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.utils import timezone

from forum import moderation
from forum.models import Post, ReaderVersion
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
from tests.forum.posting_pages import fields_of, form_at, open_page, send
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


def hits():
    return page_cache.stats["reader_page_hits"]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def read_kept(client, url):
    """Read the page twice: the second read is served from the page the first one kept."""
    read(client, url)
    before = hits()
    html = read(client, url)
    assert hits() == before + 1
    return html


def form_token(html, thread):
    page = Page(html)
    return fields_of(page, form_at(page, f"/forum/{thread.slug}/reply/"))["token"]


def test_a_members_second_read_is_their_kept_page_served_with_one_query(
    thread, carol, django_assert_num_queries
):
    client = returning_reader(carol)
    first = read(client, thread.get_absolute_url())

    with django_assert_num_queries(1):
        second = read(client, thread.get_absolute_url())

    assert "Signed in as" in second and "Bob's first thought." in second
    assert second.replace(form_token(second, thread), form_token(first, thread)) == first


def test_a_kept_page_is_private_and_never_compressed(thread, carol):
    client = returning_reader(carol)
    read_kept(client, thread.get_absolute_url())

    response = client.get(thread.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")

    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert not response.has_header("Content-Encoding")


def test_each_serving_has_its_own_comment_form_token_and_both_comments_are_stored(thread, carol):
    client = returning_reader(carol, enforce_csrf_checks=True)
    read(client, thread.get_absolute_url())
    first_page = open_page(client, thread.get_absolute_url())
    second_page = open_page(client, thread.get_absolute_url())
    action = f"/forum/{thread.slug}/reply/"
    assert (
        fields_of(first_page, form_at(first_page, action))["token"]
        != (fields_of(second_page, form_at(second_page, action))["token"])
    )

    send(client, first_page, action, body="The first of my two comments.")
    send(client, second_page, action, body="The second of my two comments.")

    bodies = set(Post.objects.filter(author=carol).values_list("body", flat=True))
    assert bodies == {"The first of my two comments.", "The second of my two comments."}


def test_the_csrf_token_in_a_kept_page_is_accepted(thread, carol):
    client = returning_reader(carol, enforce_csrf_checks=True)
    read(client, thread.get_absolute_url())
    page = open_page(client, thread.get_absolute_url())

    response = send(client, page, f"/notifications/follow/{thread.pk}/")

    assert response.status_code == 302
    assert following.follows(carol, thread)


def test_another_session_of_the_same_member_is_not_given_this_ones_page(thread, carol):
    read_kept(returning_reader(carol), thread.get_absolute_url())
    other = returning_reader(carol)
    before = hits()

    read(other, thread.get_absolute_url())

    assert hits() == before


def test_a_logged_out_session_is_not_given_its_kept_page(thread, carol):
    client = returning_reader(carol)
    read_kept(client, thread.get_absolute_url())
    session_cookie = client.cookies["sessionid"].value

    client.post("/accounts/logout/")
    client.cookies["sessionid"] = session_cookie  # as a stolen cookie would be sent again

    html = read(client, thread.get_absolute_url())
    assert "Signed in as" not in html and "Log in" in html


def test_a_password_changed_elsewhere_logs_the_kept_session_out(thread, carol):
    client = returning_reader(carol)
    read_kept(client, thread.get_absolute_url())

    carol.set_password("another horse battery staple")
    carol.save()

    assert "Signed in as" not in read(client, thread.get_absolute_url())


def test_a_new_notification_shows_at_once(thread, carol):
    client = returning_reader(carol)
    mine = make_post(thread, author=carol, body="Carol asks a question.")
    answer = make_post(thread, parent=mine, author=make_user("erin"), body="An answer.")
    assert "unread-count" not in read_kept(client, thread.get_absolute_url())

    Notification.objects.create(recipient=carol, kind=Kind.REPLY, post=answer)

    page = Page(read(client, thread.get_absolute_url()))
    assert page.text(page.find_all("span", "unread-count")[0]) == "1"


def test_a_notification_whose_post_is_removed_in_another_discussion_stops_counting(thread, carol):
    elsewhere = make_thread("Elsewhere")
    mine = make_post(elsewhere, author=carol, body="Carol asks elsewhere.")
    answer = make_post(elsewhere, parent=mine, author=make_user("erin"), body="Buy pills.")
    Notification.objects.create(recipient=carol, kind=Kind.REPLY, post=answer)
    client = returning_reader(carol)
    assert "unread-count" in read_kept(client, thread.get_absolute_url())

    moderation.remove_post(post=answer, moderator=make_moderator("mod"), reason="Spam")

    assert "unread-count" not in read(client, thread.get_absolute_url())


def test_following_elsewhere_shows_as_unfollow_at_once(thread, carol):
    client = returning_reader(carol)
    assert "Unfollow" not in read_kept(client, thread.get_absolute_url())

    following.follow(user=carol, thread=thread)

    assert "Unfollow" in read(client, thread.get_absolute_url())


def test_muting_an_author_folds_their_comments_at_once(thread, carol):
    erin = make_user("erin")
    make_post(thread, author=erin, body="Erin's comment.")
    client = returning_reader(carol)
    assert "whom you muted" not in read_kept(client, thread.get_absolute_url())

    following.mute(user=carol, muted=erin)
    assert "whom you muted" in read_kept(client, thread.get_absolute_url())

    following.unmute(user=carol, muted=erin)
    assert "whom you muted" not in read(client, thread.get_absolute_url())


def test_a_ban_and_its_lifting_show_at_once(thread, carol):
    mod = make_moderator("mod")
    client = returning_reader(carol)
    assert 'id="comment-body"' in read_kept(client, thread.get_absolute_url())

    moderation.ban_user(user=carol, moderator=mod, reason="Spam")
    assert "Spam" in read_kept(client, thread.get_absolute_url())

    moderation.unban_user(user=carol, moderator=mod)
    assert 'id="comment-body"' in read(client, thread.get_absolute_url())


def test_a_ban_that_ends_gives_the_form_back_when_it_ends(thread, carol):
    until = timezone.now() + timedelta(seconds=1)
    moderation.ban_user(
        user=carol, moderator=make_moderator("mod"), reason="Cool off", until=until
    )
    client = returning_reader(carol)
    assert 'id="comment-body"' not in read_kept(client, thread.get_absolute_url())

    time.sleep(max(0, (until - timezone.now()).total_seconds()) + 0.05)

    assert 'id="comment-body"' in read(client, thread.get_absolute_url())


def test_the_edit_link_of_ones_own_comment_goes_when_its_window_closes(thread, carol, settings):
    settings.PARLEY_EDIT_WINDOW_MINUTES = 1
    mine = make_post(thread, author=carol, body="Carol's comment.")
    closes = timezone.now() + timedelta(seconds=1)
    Post.objects.filter(pk=mine.pk).update(created_at=closes - timedelta(minutes=1))
    client = returning_reader(carol)
    assert f"/forum/post/{mine.pk}/edit/" in read_kept(client, thread.get_absolute_url())

    time.sleep(max(0, (closes - timezone.now()).total_seconds()) + 0.05)

    assert f"/forum/post/{mine.pk}/edit/" not in read(client, thread.get_absolute_url())


def test_joining_the_moderators_without_a_comment_shows_the_moderation_link_at_once(thread, carol):
    client = returning_reader(carol)
    assert "Moderation" not in read_kept(client, thread.get_absolute_url())

    carol.groups.add(Group.objects.get(name="Moderators"))

    assert ">Moderation</a>" in read(client, thread.get_absolute_url())


def test_a_rename_shows_at_once(thread, carol):
    client = returning_reader(carol)
    read_kept(client, thread.get_absolute_url())

    carol.username = "caroline"
    carol.save()

    page = Page(read(client, thread.get_absolute_url()))
    assert page.text(page.find_all("li", "signed-in-as")[0]) == "Signed in as caroline"


def test_a_message_left_by_another_page_is_shown(thread, carol):
    client = returning_reader(carol)
    read_kept(client, thread.get_absolute_url())

    client.post(f"/notifications/follow/{thread.pk}/", {"next": "/"})  # leaves a message

    assert "You follow" in read(client, thread.get_absolute_url())
    assert "You follow" not in read(client, thread.get_absolute_url())


def test_a_reply_by_another_shows_at_once_and_as_new(thread, carol):
    client = returning_reader(carol)
    read_kept(client, thread.get_absolute_url())

    make_post(thread, author_name="Erin", body="Erin's late comment.")

    html = read(client, thread.get_absolute_url())
    assert "Erin's late comment." in html and "1 new" in html
    # That read moved the mark: the post is no longer new, and that page was not kept.
    assert "1 new" not in read_kept(client, thread.get_absolute_url())


def test_an_address_with_a_query_the_page_does_not_understand_is_not_kept(thread, carol):
    client = returning_reader(carol)
    url = f"{thread.get_absolute_url()}?x=1"
    read(client, url)
    before = hits()

    read(client, url)

    assert hits() == before


def test_a_moderator_sees_a_comment_held_for_moderation_at_once(thread):
    client = returning_reader(make_moderator("mod"))
    read_kept(client, thread.get_absolute_url())

    make_post(thread, author_name="Erin", body="Held for a look.", status=Post.Status.PENDING)

    assert "Held for a look." in read(client, thread.get_absolute_url())


def test_a_session_is_not_given_its_kept_page_once_it_expires(thread, carol):
    client = returning_reader(carol)
    ends = timezone.now() + timedelta(seconds=1)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=ends)
    read_kept(client, thread.get_absolute_url())

    time.sleep(max(0, (ends - timezone.now()).total_seconds()) + 0.05)

    assert "Signed in as" not in read(client, thread.get_absolute_url())


@pytest.mark.django_db(transaction=True)
def test_an_account_with_comments_can_still_be_deleted(thread, carol):
    make_post(thread, author=carol, body="Carol's comment.")
    read_kept(returning_reader(carol), thread.get_absolute_url())

    carol.delete()  # announced, in its own transaction, as the deleted author's posts change

    assert not get_user_model().objects.filter(pk=carol.pk).exists()
    assert not ReaderVersion.objects.filter(user_id=carol.pk).exists()
