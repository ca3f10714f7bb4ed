"""An author edits a post within the edit window, or deletes it for good."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Post, Thread
from tests.factories import make_article, make_post, make_thread, make_user, set_status
from tests.forum.posting_pages import (
    errors_of,
    form_at,
    inside,
    open_page,
    open_page_from,
    send,
    textarea_text,
)

pytestmark = pytest.mark.django_db

Status = Post.Status


@pytest.fixture
def author(client):
    user = make_user("leonov")
    client.force_login(user)
    return user


@pytest.fixture
def thread():
    return make_thread("Spacewalks", article=make_article("Spacewalks"))


def edit_url(post):
    return reverse("forum:post-edit", kwargs={"pk": post.pk})


def delete_url(post):
    return reverse("forum:post-delete", kwargs={"pk": post.pk})


def links_of(page, post):
    element = page.by_id[f"post-{post.pk}"]
    return {page.text(link): link.attrs["href"] for link in inside(page, element, "a")}


def written_ago(post, minutes):
    """Move a post's creation into the past, as if the clock had run on."""
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    post.refresh_from_db()
    return post


def as_someone_else():
    other = Client()
    other.force_login(make_user())
    return other


# Editing


def test_the_author_sees_edit_and_delete_links_and_nobody_else_does(client, author, thread):
    post = make_post(thread, author=author, body="Mine.")

    mine = links_of(open_page(client, thread.get_absolute_url()), post)
    assert (mine["Edit"], mine["Delete"]) == (edit_url(post), delete_url(post))
    others = links_of(open_page(as_someone_else(), thread.get_absolute_url()), post)
    assert "Edit" not in others and "Delete" not in others


def test_the_author_edits_within_the_window_and_the_post_shows_edited_with_the_time(
    client, author, thread
):
    post = written_ago(make_post(thread, author=author, body="Frist!"), 14)
    page = open_page(client, edit_url(post))
    assert textarea_text(page, form_at(page, edit_url(post))) == "Frist!"

    response = send(client, page, edit_url(post), body="*First*, I meant.")

    post.refresh_from_db()
    assert (post.body, post.body_html) == (
        "*First*, I meant.",
        "<p><em>First</em>, I meant.</p>\n",
    )
    assert post.edited_at is not None
    assert response.url == f"{thread.get_absolute_url()}#post-{post.pk}"
    page = open_page(client, response.url)
    element = page.by_id[f"post-{post.pk}"]
    (edited,) = [span for span in inside(page, element, "span") if "post-edited" in span.classes]
    assert page.text(edited).startswith("edited ")
    (time,) = inside(page, edited, "time")
    assert time.attrs["datetime"] == post.edited_at.isoformat()
    assert "First, I meant." in page.text(element)


def test_an_edit_after_the_window_is_refused_and_keeps_the_typed_text(client, author, thread):
    post = make_post(thread, author=author, body="Original.")
    page = open_page(client, edit_url(post))
    written_ago(post, 16)

    response = send(client, page, edit_url(post), body="Too late to change.")

    assert response.status_code == 403
    page = open_page_from(response)
    assert "Comments can be edited for 15 minutes after posting" in page.text(
        page.find_all("main")[0]
    )
    (kept,) = page.find_all("textarea")
    assert page.text(kept).removeprefix("\n") == "Too late to change."
    post.refresh_from_db()
    assert (post.body, post.edited_at) == ("Original.", None)


def test_after_the_window_the_edit_link_is_gone_and_the_edit_page_refuses(client, author, thread):
    post = written_ago(make_post(thread, author=author), 16)

    assert "Edit" not in links_of(open_page(client, thread.get_absolute_url()), post)
    assert client.get(edit_url(post)).status_code == 403


def test_the_edit_window_follows_the_setting(client, author, thread, settings):
    settings.PARLEY_EDIT_WINDOW_MINUTES = 60
    post = written_ago(make_post(thread, author=author, body="Old."), 45)
    page = open_page(client, edit_url(post))

    send(client, page, edit_url(post), body="New.")

    post.refresh_from_db()
    assert post.body == "New."


def test_another_user_cannot_edit_a_post(author, thread):
    post = make_post(thread, author=author, body="Mine.")
    other = as_someone_else()

    assert other.get(edit_url(post)).status_code == 403
    response = other.post(edit_url(post), {"body": "Yours now."})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body == "Mine."


def test_an_edit_in_a_locked_discussion_is_refused(client, author, thread):
    post = make_post(thread, author=author, body="Before the lock.")
    Thread.objects.filter(pk=thread.pk).update(is_locked=True, lock_reason="Done.")

    response = client.post(edit_url(post), {"body": "After the lock."})

    assert response.status_code == 403
    assert "This discussion is locked: Done." in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Before the lock."


def test_an_empty_edit_is_refused_next_to_the_form_and_keeps_the_post(client, author, thread):
    post = make_post(thread, author=author, body="Keep me.")
    page = open_page(client, edit_url(post))

    response = send(client, page, edit_url(post), body=" \u00a0 ")

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, edit_url(post))
    assert errors_of(page, form) == ["Your comment is empty: write something first."]
    post.refresh_from_db()
    assert (post.body, post.edited_at) == ("Keep me.", None)


def test_an_edit_whose_markdown_shows_no_text_is_refused_and_keeps_the_post(
    client, author, thread
):
    post = make_post(thread, author=author, body="Keep me.")
    page = open_page(client, edit_url(post))

    response = send(client, page, edit_url(post), body="[a]: https://example.org")

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, edit_url(post))
    (error,) = errors_of(page, form)
    assert error.startswith("Your comment shows no text once formatted")
    assert textarea_text(page, form) == "[a]: https://example.org"
    post.refresh_from_db()
    assert (post.body, post.body_html, post.edited_at) == ("Keep me.", "<p>Keep me.</p>\n", None)


def test_a_new_accounts_edit_adding_too_many_links_is_refused_with_the_text_kept(
    client, author, thread
):
    post = make_post(thread, author=author, body="No links yet.")
    page = open_page(client, edit_url(post))
    links = "https://a.example https://b.example https://c.example"

    response = send(client, page, edit_url(post), body=links)

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, edit_url(post))
    (error,) = errors_of(page, form)
    assert error.startswith("New accounts may post at most 2 links")
    assert textarea_text(page, form) == links
    post.refresh_from_db()
    assert (post.body, post.edited_at) == ("No links yet.", None)


def test_an_edit_preview_shows_the_new_text_and_saves_nothing(client, author, thread):
    post = make_post(thread, author=author, body="Plain.")
    page = open_page(client, edit_url(post))

    response = send(client, page, edit_url(post), body="**Bold** now.", preview="1")

    page = open_page_from(response)
    (preview,) = page.find_all("section", "preview")
    assert [page.text(strong) for strong in inside(page, preview, "strong")] == ["Bold"]
    assert textarea_text(page, form_at(page, edit_url(post))) == "**Bold** now."
    post.refresh_from_db()
    assert (post.body, post.edited_at) == ("Plain.", None)


def test_saving_an_unchanged_text_does_not_mark_the_post_edited(client, author, thread):
    post = make_post(thread, author=author, body="Same.")
    page = open_page(client, edit_url(post))

    send(client, page, edit_url(post))

    post.refresh_from_db()
    assert (post.body, post.edited_at) == ("Same.", None)


# Deleting


def test_delete_asks_for_confirmation_and_opening_it_changes_nothing(client, author, thread):
    post = make_post(thread, author=author, body="Regrettable.")

    page = open_page(client, delete_url(post))

    form = form_at(page, delete_url(post))
    assert form.attrs["method"] == "post"
    assert "Regrettable." in page.text(page.by_id[f"post-{post.pk}"])
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED


def test_deleting_a_post_without_replies_erases_it_and_it_leaves_the_page(client, author, thread):
    question = make_post(thread, author_name="Kirk", body="Anyone?")
    post = make_post(thread, parent=question, author=author, body="Regrettable.")
    page = open_page(client, delete_url(post))

    response = send(client, page, delete_url(post))

    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.status, post.body, post.body_html) == (Status.DELETED, "", "")
    assert (post.author, post.author_name) == (None, "")
    assert thread.post_count == 1
    assert response.url == f"{thread.get_absolute_url()}#post-{question.pk}"
    page = open_page(client, response.url)
    assert f"post-{post.pk}" not in page.by_id
    assert "Regrettable." not in page.text("comments")
    assert [page.text(m) for m in page.find_all("li", "message")] == ["Your comment is deleted."]


def test_a_deleted_post_with_replies_keeps_its_place_as_deleted(client, author, thread):
    post = make_post(thread, author=author, body="Regrettable.")
    reply = make_post(thread, parent=post, author_name="Kirk", body="I disagree.")
    page = open_page(client, delete_url(post))

    response = send(client, page, delete_url(post))

    assert response.url == f"{thread.get_absolute_url()}#post-{post.pk}"
    page = open_page(client, response.url)
    assert page.text(page.by_id[f"post-{post.pk}"]).strip() == "[deleted]"
    assert page.by_id[f"post-{reply.pk}"].nearest("ol").attrs["id"] == f"replies-{post.pk}"
    assert "leonov" not in page.text("comments")
    post.refresh_from_db()
    assert (post.status, post.body, post.author_name, post.author) == (
        Status.DELETED,
        "",
        "",
        None,
    )


def test_another_user_cannot_delete_a_post(author, thread):
    post = make_post(thread, author=author, body="Mine.")
    other = as_someone_else()

    assert other.get(delete_url(post)).status_code == 403
    assert other.post(delete_url(post)).status_code == 403

    post.refresh_from_db()
    assert (post.status, post.body) == (Status.PUBLISHED, "Mine.")


def test_an_author_cannot_delete_a_post_a_moderator_removed(client, author, thread):
    post = set_status(make_post(thread, author=author, body="Rude."), Status.REMOVED)

    response = client.post(delete_url(post))

    assert response.status_code == 403
    assert "A moderator removed this comment" in response.content.decode()
    post.refresh_from_db()
    assert (post.status, post.body) == (Status.REMOVED, "Rude.")


def test_an_author_may_delete_a_post_after_the_edit_window_and_in_a_locked_thread(
    client, author, thread
):
    post = written_ago(make_post(thread, author=author, body="Old words."), 600)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    assert "Delete" in links_of(open_page(client, thread.get_absolute_url()), post)
    client.post(delete_url(post))

    post.refresh_from_db()
    assert (post.status, post.body) == (Status.DELETED, "")


def test_anonymous_visitors_are_sent_to_log_in_to_edit_or_delete(thread):
    post = make_post(thread, author=make_user(), body="Mine.")
    anonymous = Client()

    for url in (edit_url(post), delete_url(post)):
        response = anonymous.post(url, {"body": "Vandalised."})
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    post.refresh_from_db()
    assert (post.status, post.body) == (Status.PUBLISHED, "Mine.")
