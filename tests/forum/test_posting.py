"""Taking part: new discussions, comments and replies, and the rules at the door."""

import threading
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from forum import moderation, services, trees
from forum.models import Post, Thread
from tests.factories import (
    make_article,
    make_moderator,
    make_post,
    make_thread,
    make_user,
    set_status,
)
from tests.forum.posting_pages import (
    errors_of,
    fields_of,
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
def member(client):
    user = make_user("tereshkova")
    client.force_login(user)
    return user


@pytest.fixture
def article_thread():
    return make_thread("Holes in spacecraft", article=make_article("Holes in spacecraft"))


def reply_url(post):
    return reverse("forum:post-reply", kwargs={"pk": post.pk})


def comment_url(thread):
    return reverse("forum:thread-reply", kwargs={"slug": thread.slug})


def login_leading_to(url):
    """Where the login page at url sends the reader back to; fails if url is not the login."""
    parts = urlsplit(url)
    assert parts.path == reverse("login")
    (next_url,) = parse_qs(parts.query)["next"]
    return next_url


def post_element(page, post):
    return page.by_id[f"post-{post.pk}"]


def new_posts(thread):
    return list(Post.objects.filter(thread=thread).order_by("-pk"))


# Starting a discussion


def test_a_member_starts_a_discussion_from_the_forum_page(client, member):
    forum = open_page(client, reverse("forum:thread-list"))
    (start,) = [link for link in forum.find_all("a") if forum.text(link) == "Start a discussion"]
    page = open_page(client, start.attrs["href"])

    response = send(
        client, page, start.attrs["href"], title="Docking ports", body="Which **port**?"
    )

    thread = Thread.objects.get(title="Docking ports")
    (post,) = thread.posts.all()
    assert (post.author, post.author_name, post.body) == (member, "tereshkova", "Which **port**?")
    assert response.url == f"/forum/{thread.slug}/#post-{post.pk}"
    page = open_page(client, response.url)
    assert page.text(page.find_all("h1")[0]) == "Docking ports"
    assert [page.text(strong) for strong in inside(page, post_element(page, post), "strong")] == [
        "port"
    ]


def test_a_discussion_without_a_title_is_refused_and_keeps_the_text(client, member):
    action = reverse("forum:thread-new")
    page = open_page(client, action)

    response = send(client, page, action, title=" \u00a0 ", body="My first post.")

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, action)
    assert "Give the discussion a title." in errors_of(page, form)
    assert textarea_text(page, form) == "My first post."
    assert not Thread.objects.exists()


def test_a_discussion_titled_like_another_forum_page_gets_an_address_of_its_own(client, member):
    action = reverse("forum:thread-new")
    page = open_page(client, action)

    response = send(client, page, action, title="New", body="Hello.")

    thread = Thread.objects.get(title="New")
    assert thread.slug == "new-2"
    page = open_page(client, response.url)
    assert page.text(page.find_all("h1")[0]) == "New"


def test_anonymous_visitors_are_asked_to_log_in_to_start_a_discussion(client):
    forum = open_page(client, reverse("forum:thread-list"))

    texts = {forum.text(link): link.attrs["href"] for link in forum.find_all("a")}

    assert login_leading_to(texts["Log in to start a discussion"]) == reverse("forum:thread-new")
    assert "Start a discussion" not in texts


# Top-level comments


@pytest.mark.parametrize("where", ["article page", "thread page"])
def test_a_member_comments_at_the_top_level_under_the_discussion(
    client, member, article_thread, where
):
    make_post(article_thread, author_name="Kirk", body="First!")
    url = article_thread.get_absolute_url() if where == "article page" else None
    url = url or article_thread.get_forum_url()
    page = open_page(client, url)

    response = send(client, page, comment_url(article_thread), body="A *new* thought.")

    (post, *_) = new_posts(article_thread)
    assert (post.parent, post.author, post.body) == (None, member, "A *new* thought.")
    assert response.url == f"{article_thread.get_absolute_url()}#post-{post.pk}"
    page = open_page(client, response.url)
    assert post_element(page, post).nearest("ol").classes == {"discussion"}
    assert "A new thought." in page.text(post_element(page, post))


def test_anonymous_visitors_see_log_in_to_join_instead_of_the_form(client, article_thread):
    page = open_page(client, article_thread.get_absolute_url())

    assert not page.find_all("form", "reply-form")
    link = page.by_id["new-comment"]
    assert page.text(link) == "Log in to join the discussion"
    href = inside(page, link, "a")[0].attrs["href"]
    assert login_leading_to(href) == f"{article_thread.get_absolute_url()}#new-comment"


# Replies


def test_the_reply_link_opens_a_page_with_the_parent_and_the_form(client, member, article_thread):
    question = make_post(article_thread, author_name="Kirk", body="Which one did I miss?")
    page = open_page(client, article_thread.get_absolute_url())
    links = inside(page, post_element(page, question), "a")
    (link,) = [link for link in links if page.text(link) == "Reply"]
    assert link.attrs["href"] == reply_url(question)

    page = open_page(client, link.attrs["href"])

    assert "Which one did I miss?" in page.text(post_element(page, question))
    assert textarea_text(page, form_at(page, reply_url(question))) == ""


def test_a_reply_lands_nested_under_its_parent_and_the_writer_lands_on_it(
    client, member, article_thread
):
    question = make_post(article_thread, author_name="Kirk", body="Which one did I miss?")
    page = open_page(client, reply_url(question))

    response = send(client, page, reply_url(question), body="The one in **2018**.")

    (reply, _) = new_posts(article_thread)
    assert (reply.parent, reply.author, reply.status) == (question, member, Status.PUBLISHED)
    assert response.url == f"{article_thread.get_absolute_url()}#post-{reply.pk}"
    page = open_page(client, response.url)
    assert post_element(page, reply).nearest("ol").attrs["id"] == f"replies-{question.pk}"
    assert "The one in 2018." in page.text(post_element(page, reply))


def test_a_reply_at_depth_five_lands_nested_under_its_parent(client, member, article_thread):
    chain = [make_post(article_thread, body="Level 0.")]
    for level in range(1, 5):
        chain.append(make_post(article_thread, parent=chain[-1], body=f"Level {level}."))
    deepest = chain[-1]
    page = open_page(client, reply_url(deepest))

    response = send(client, page, reply_url(deepest), body="Level 5, mine.")

    reply = Post.objects.get(body="Level 5, mine.")
    assert (reply.parent, reply.level) == (deepest, 5)
    assert trees.tree_faults() == []
    page = open_page(client, response.url)
    enclosing = [element.attrs.get("id") for element in post_element(page, reply).ancestors()]
    assert [f"replies-{post.pk}" in enclosing for post in chain] == [True] * 5
    assert post_element(page, reply).nearest("ol").attrs["id"] == f"replies-{deepest.pk}"


def test_a_held_reply_is_shown_to_its_writer_as_awaiting_moderation(client, member):
    thread = make_thread("Held", is_premoderated=True)
    question = make_post(thread, author_name="Kirk", body="Anyone?")
    page = open_page(client, reply_url(question))

    response = send(client, page, reply_url(question), body="Me, after review.")

    reply = Post.objects.get(body="Me, after review.")
    assert reply.status == Status.PENDING
    page = open_page(client, response.url)
    assert "awaiting moderation" in page.text(post_element(page, reply))
    other = Client()
    other.force_login(make_user())
    assert f"post-{reply.pk}" not in open_page(other, thread.get_forum_url()).by_id


def test_anonymous_visitors_get_one_way_to_log_in_and_no_controls_on_each_comment(
    client, article_thread
):
    question = make_post(article_thread, author_name="Kirk", body="Which one did I miss?")
    make_post(article_thread, parent=question, author_name="Spock", body="The second one.")
    page = open_page(client, article_thread.get_absolute_url())

    logins = [link for link in page.find_all("a") if page.text(link).startswith("Log in to")]
    assert [page.text(link) for link in logins] == ["Log in to join the discussion"]
    assert not inside(page, post_element(page, question), "button")
    assert not [
        link
        for link in inside(page, post_element(page, question), "a")
        if "Reply" in page.text(link)
    ]

    make_user("kirk", password="correct horse battery staple")
    login_page = open_page(client, logins[0].attrs["href"])
    response = send(
        client,
        login_page,
        reverse("login"),
        username="kirk",
        password="correct horse battery staple",
    )
    assert response.url == f"{article_thread.get_absolute_url()}#new-comment"


def test_an_anonymous_reply_is_sent_to_log_in_and_stores_nothing(client, article_thread):
    question = make_post(article_thread)

    response = client.post(reply_url(question), {"body": "Hi", "token": str(uuid.uuid4())})

    assert response.status_code == 302
    assert login_leading_to(response.url) == reply_url(question)
    assert new_posts(article_thread) == [question]


# Rules at the door: what is refused keeps the text


@pytest.mark.parametrize("body", ["", "   \n\t ", "\u00a0\u00a0", "\u200b\n\u00a0"])
def test_an_empty_post_is_refused_next_to_the_form_and_nothing_is_stored(
    client, member, article_thread, body
):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))

    response = send(client, page, reply_url(question), body=body)

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, reply_url(question))
    assert errors_of(page, form) == ["Your comment is empty: write something first."]
    assert textarea_text(page, form) == body
    assert new_posts(article_thread) == [question]


SHOWS_NOTHING = (
    "Your comment shows no text once formatted: Markdown such as a link definition "
    "(“[a]: https://…”) is not shown on its own. Write something to show."
)
SHOWING_NOTHING = ["[a]: https://example.org", "[](https://example.org)", "&nbsp;", "> "]


@pytest.mark.parametrize("body", SHOWING_NOTHING)
@pytest.mark.parametrize("target", ["comment", "reply"])
def test_a_post_whose_markdown_shows_no_text_is_refused_next_to_the_form_with_the_text_kept(
    client, member, article_thread, target, body
):
    question = make_post(article_thread)
    action = comment_url(article_thread) if target == "comment" else reply_url(question)
    page = open_page(client, article_thread.get_absolute_url() if target == "comment" else action)

    response = send(client, page, action, body=body)

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, action)
    assert errors_of(page, form) == [SHOWS_NOTHING]
    assert textarea_text(page, form) == body
    assert new_posts(article_thread) == [question]


def test_a_discussion_whose_first_post_shows_no_text_is_refused_and_keeps_the_text(client, member):
    action = reverse("forum:thread-new")
    page = open_page(client, action)

    response = send(client, page, action, title="Links", body="[a]: https://example.org")

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, action)
    assert errors_of(page, form) == [SHOWS_NOTHING]
    assert textarea_text(page, form) == "[a]: https://example.org"
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_a_link_definition_used_by_the_text_is_accepted(client, member, article_thread):
    page = open_page(client, article_thread.get_absolute_url())
    body = "See [the station][a].\n\n[a]: https://example.org"

    response = send(client, page, comment_url(article_thread), body=body)

    assert response.status_code == 302
    (post,) = new_posts(article_thread)
    assert 'href="https://example.org"' in post.body_html and "the station" in post.body_html


def test_a_post_over_the_length_limit_is_refused_and_keeps_the_text(
    client, member, article_thread, settings
):
    settings.PARLEY_MAX_POST_LENGTH = 50
    page = open_page(client, article_thread.get_absolute_url())
    too_long = "x" * 51

    response = send(client, page, comment_url(article_thread), body=too_long)

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, comment_url(article_thread))
    assert errors_of(page, form) == ["Your comment is 51 characters long; the limit is 50."]
    assert textarea_text(page, form) == too_long
    assert new_posts(article_thread) == []


def test_a_post_of_exactly_the_length_limit_is_accepted(client, member, article_thread, settings):
    settings.PARLEY_MAX_POST_LENGTH = 50
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="y" * 50)

    assert response.status_code == 302
    assert [post.body for post in new_posts(article_thread)] == ["y" * 50]


def test_the_default_length_limit_is_ten_thousand_characters(client, member, article_thread):
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="z" * 10_001)

    assert response.status_code == 400
    assert "the limit is 10,000." in response.content.decode()
    assert new_posts(article_thread) == []


def test_a_post_keeps_its_non_breaking_spaces_and_gets_unix_line_ends(
    client, member, article_thread
):
    page = open_page(client, article_thread.get_absolute_url())
    typed = "\r\n\u00a0Ten\u00a0km up,\r\nand then some.\u00a0\r\n\r\n"

    send(client, page, comment_url(article_thread), body=typed)

    (post,) = new_posts(article_thread)
    assert post.body == "\u00a0Ten\u00a0km up,\nand then some.\u00a0"


def test_a_reply_to_a_post_that_does_not_exist_offers_the_top_level_form_with_the_text(
    client, member, article_thread
):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))
    fields = fields_of(page, form_at(page, reply_url(question)))
    missing = reverse("forum:post-reply", kwargs={"pk": question.pk + 1000})

    response = client.post(missing, {**fields, "body": "Still worth saying."})

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, comment_url(article_thread))
    assert errors_of(page, form) == [
        "The comment you are replying to does not exist. You can post your text as a comment on "
        "the discussion instead."
    ]
    assert textarea_text(page, form) == "Still worth saying."
    assert new_posts(article_thread) == [question]


def test_a_reply_to_a_post_of_another_discussion_is_refused_and_keeps_the_text(
    client, member, article_thread
):
    question = make_post(article_thread)
    elsewhere = make_post(make_thread("Elsewhere"))
    page = open_page(client, reply_url(question))
    fields = fields_of(page, form_at(page, reply_url(question)))

    response = client.post(reply_url(elsewhere), {**fields, "body": "Meant for here."})

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, comment_url(article_thread))
    assert errors_of(page, form) == ["The comment you are replying to is in another discussion."]
    assert textarea_text(page, form) == "Meant for here."
    assert Post.objects.count() == 2


DAMAGED_FORM = (
    "This form was damaged on its way here. Copy your text, reload the discussion and post "
    "it from there."
)


@pytest.mark.parametrize("seen", ["²", "abc", "0", "-1", "1.5", "1\x00"])
@pytest.mark.parametrize("target", ["comment", "reply"])
def test_a_post_whose_hidden_thread_field_is_mangled_is_refused_with_the_text_kept(
    client, member, article_thread, target, seen
):
    question = make_post(article_thread)
    action = comment_url(article_thread) if target == "comment" else reply_url(question)
    page = open_page(client, article_thread.get_absolute_url() if target == "comment" else action)
    fields = fields_of(page, form_at(page, action))

    response = client.post(action, {**fields, "thread": seen, "body": "Still worth saying."})

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, action)
    assert errors_of(page, form) == [DAMAGED_FORM]
    assert textarea_text(page, form) == "Still worth saying."
    assert new_posts(article_thread) == [question]


@pytest.mark.parametrize("seen", ["9" * 30, "99999"])
def test_a_reply_whose_thread_field_names_no_discussion_lands_under_its_parent(
    client, member, article_thread, seen
):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))
    fields = fields_of(page, form_at(page, reply_url(question)))

    response = client.post(reply_url(question), {**fields, "thread": seen, "body": "Here."})

    assert response.status_code == 302
    (reply, _question) = new_posts(article_thread)
    assert (reply.parent, reply.body) == (question, "Here.")


def test_a_reply_to_a_missing_post_with_a_mangled_thread_field_gives_the_text_back(
    client, member, article_thread
):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))
    fields = fields_of(page, form_at(page, reply_url(question)))
    missing = reverse("forum:post-reply", kwargs={"pk": question.pk + 1000})

    response = client.post(missing, {**fields, "thread": "²", "body": "Still worth saying."})

    assert response.status_code == 404
    page = open_page_from(response)
    assert "The comment you are replying to does not exist." in page.text(page.find_all("main")[0])
    (kept,) = page.find_all("textarea")
    assert page.text(kept).removeprefix("\n") == "Still worth saying."
    assert new_posts(article_thread) == [question]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Status.REMOVED, "was removed by a moderator; it takes no replies."),
        (Status.SPAM, "was removed by a moderator; it takes no replies."),
        (Status.DELETED, "was deleted by its author; it takes no replies."),
        (Status.PENDING, "is awaiting moderation; it takes no replies yet."),
    ],
)
def test_a_reply_to_a_post_that_takes_no_replies_is_refused_and_keeps_the_text(
    client, member, article_thread, status, message
):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))
    set_status(question, status)

    response = send(client, page, reply_url(question), body="Too late?")

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, comment_url(article_thread))
    assert errors_of(page, form) == [f"The comment you are replying to {message}"]
    assert textarea_text(page, form) == "Too late?"
    assert new_posts(article_thread) == [question]


def test_a_post_that_takes_no_replies_shows_no_reply_link(client, member, article_thread):
    question = make_post(article_thread, author=member)
    set_status(question, Status.PENDING)

    page = open_page(client, article_thread.get_absolute_url())

    texts = [page.text(link) for link in inside(page, post_element(page, question), "a")]
    assert "Reply" not in texts


def test_a_locked_discussion_shows_why_and_offers_no_form(client, member, article_thread):
    question = make_post(article_thread)
    Thread.objects.filter(pk=article_thread.pk).update(is_locked=True, lock_reason="Off topic.")

    page = open_page(client, article_thread.get_absolute_url())

    assert not page.find_all("form", "reply-form")
    assert "new-comment" not in page.by_id
    assert "This discussion is locked: Off topic." in page.text("comments")
    texts = [page.text(link) for link in inside(page, post_element(page, question), "a")]
    assert "Reply" not in texts


@pytest.mark.parametrize("target", ["comment", "reply"])
def test_a_post_sent_to_a_locked_discussion_gets_403_with_the_text_shown_back(
    client, member, article_thread, target
):
    question = make_post(article_thread)
    page = open_page(client, article_thread.get_absolute_url())
    fields = fields_of(page, form_at(page, comment_url(article_thread)))
    Thread.objects.filter(pk=article_thread.pk).update(is_locked=True, lock_reason="Cooling off.")
    action = comment_url(article_thread) if target == "comment" else reply_url(question)

    response = client.post(action, {**fields, "body": "My <long> answer\u00a0…"})

    assert response.status_code == 403
    page = open_page_from(response)
    assert "This discussion is locked: Cooling off." in page.text(page.find_all("main")[0])
    (kept,) = page.find_all("textarea")
    assert page.text(kept).removeprefix("\n") == "My <long> answer\u00a0…"
    assert new_posts(article_thread) == [question]


def test_every_posting_form_carries_a_csrf_token_and_is_refused_without_it(member, article_thread):
    question = make_post(article_thread)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    urls = [article_thread.get_absolute_url(), reply_url(question), reverse("forum:thread-new")]
    for url in urls:
        page = open_page(browser, url)
        for form in page.find_all("form", "reply-form"):
            assert fields_of(page, form)["csrfmiddlewaretoken"]

    fields = fields_of(page, form_at(page, reverse("forum:thread-new")))
    del fields["csrfmiddlewaretoken"]
    response = browser.post(reverse("forum:thread-new"), {**fields, "title": "T", "body": "B"})

    assert response.status_code == 403
    assert not Thread.objects.filter(title="T").exists()


# Bans, locks, rate limits, honeypot and links: refused with the text kept


def test_a_banned_member_sees_why_instead_of_the_form_and_a_post_is_refused_with_the_text(
    client, member, article_thread
):
    page = open_page(client, article_thread.get_absolute_url())
    fields = fields_of(page, form_at(page, comment_url(article_thread)))
    moderation.ban_user(user=member, moderator=make_moderator(), reason="Flooding.")

    shown = open_page(client, article_thread.get_absolute_url())
    response = client.post(comment_url(article_thread), {**fields, "body": "Let me explain."})

    assert not shown.find_all("form", "reply-form")
    assert shown.text("new-comment") == "You are banned for good, for this reason: Flooding."
    assert response.status_code == 403
    page = open_page_from(response)
    (kept,) = page.find_all("textarea")
    assert page.text(kept).removeprefix("\n") == "Let me explain."
    assert new_posts(article_thread) == []


def test_a_moderator_may_still_post_in_a_locked_discussion(client, article_thread):
    client.force_login(make_moderator())
    Thread.objects.filter(pk=article_thread.pk).update(is_locked=True, lock_reason="Cooling off.")
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="Locked until Monday.")

    assert response.status_code == 302
    assert [post.body for post in new_posts(article_thread)] == ["Locked until Monday."]


def test_the_page_after_posting_confirms_it(client, member, article_thread):
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="Noted.")

    page = open_page(client, response.url)
    assert [page.text(m) for m in page.find_all("li", "message")] == ["Your comment is posted."]
    assert [post.body for post in new_posts(article_thread)] == ["Noted."]


def test_the_page_after_posting_says_when_the_comment_waits_for_a_moderator(
    client, member, article_thread
):
    Thread.objects.filter(pk=article_thread.pk).update(is_premoderated=True)
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="Held.")

    page = open_page(client, response.url)
    (message,) = page.find_all("li", "message")
    assert (
        page.text(message) == "Your comment is saved and will show once a moderator approves it."
    )
    assert [post.status for post in new_posts(article_thread)] == [Status.PENDING]


def test_posting_faster_than_the_limit_is_refused_with_the_text_kept(
    client, member, article_thread, settings
):
    settings.PARLEY_POST_RATE_PER_USER = "1/60"
    page = open_page(client, article_thread.get_absolute_url())
    send(client, page, comment_url(article_thread), body="First.")
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="Second, too soon.")

    assert response.status_code == 429
    page = open_page_from(response)
    form = form_at(page, comment_url(article_thread))
    (error,) = errors_of(page, form)
    assert error.startswith("You are posting too fast. Please wait ")
    assert textarea_text(page, form) == "Second, too soon."
    assert [post.body for post in new_posts(article_thread)] == ["First."]


def test_posts_refused_for_their_links_do_not_count_towards_the_rate(
    client, member, article_thread, settings
):
    settings.PARLEY_POST_RATE_PER_USER = "2/60"
    settings.PARLEY_NEW_ACCOUNT_MAX_LINKS = 0
    for _attempt in range(3):
        page = open_page(client, article_thread.get_absolute_url())
        refused = send(client, page, comment_url(article_thread), body="See https://a.example")
        assert refused.status_code == 400
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="No links this time.")

    assert response.status_code == 302
    assert [post.body for post in new_posts(article_thread)] == ["No links this time."]


def test_a_filled_honeypot_is_refused_above_the_form_with_the_text_kept(
    client, member, article_thread
):
    page = open_page(client, article_thread.get_absolute_url())
    assert fields_of(page, form_at(page, comment_url(article_thread)))["website"] == ""

    response = send(
        client, page, comment_url(article_thread), body="Buy now.", website="x.example"
    )

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, comment_url(article_thread))
    (shown_first, *_) = errors_of(page, form)
    assert "hidden field was filled in" in shown_first
    assert textarea_text(page, form) == "Buy now."
    assert new_posts(article_thread) == []


def test_a_new_accounts_post_with_too_many_links_is_refused_with_the_text_kept(
    client, member, article_thread
):
    page = open_page(client, article_thread.get_absolute_url())
    links = "https://a.example https://b.example https://c.example"

    response = send(client, page, comment_url(article_thread), body=links)

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, comment_url(article_thread))
    (error,) = errors_of(page, form)
    assert error.startswith("New accounts may post at most 2 links")
    assert textarea_text(page, form) == links
    assert new_posts(article_thread) == []


# One post per form, however often it is sent


def test_sending_the_same_form_twice_creates_one_post(client, member, article_thread):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))

    first = send(client, page, reply_url(question), body="Only once, please.")
    second = send(client, page, reply_url(question), body="Only once, please.")

    (reply, _) = new_posts(article_thread)
    assert first.url == second.url == f"{article_thread.get_absolute_url()}#post-{reply.pk}"


def test_each_form_shown_makes_its_own_post(client, member, article_thread):
    question = make_post(article_thread)

    for _ in range(2):
        page = open_page(client, reply_url(question))
        send(client, page, reply_url(question), body="Same words, two posts.")

    assert [post.body for post in new_posts(article_thread)[:2]] == ["Same words, two posts."] * 2


def test_a_form_refused_once_can_be_sent_again_once_corrected(client, member, article_thread):
    page = open_page(client, article_thread.get_absolute_url())
    send(client, page, comment_url(article_thread), body="  ")

    response = send(client, page, comment_url(article_thread), body="Now with words.")

    assert response.status_code == 302
    assert [post.body for post in new_posts(article_thread)] == ["Now with words."]


def test_a_form_with_a_mangled_token_is_refused_with_a_fresh_one_and_keeps_the_text(
    client, member, article_thread
):
    page = open_page(client, article_thread.get_absolute_url())
    fields = fields_of(page, form_at(page, comment_url(article_thread)))

    response = client.post(
        comment_url(article_thread), {**fields, "token": "not-a-token", "body": "Kept."}
    )

    assert response.status_code == 400
    page = open_page_from(response)
    form = form_at(page, comment_url(article_thread))
    assert errors_of(page, form) == [
        "This form was out of date. Check your text and send it again."
    ]
    assert textarea_text(page, form) == "Kept."
    assert uuid.UUID(fields_of(page, form)["token"])
    assert send(client, page, comment_url(article_thread)).status_code == 302
    assert [post.body for post in new_posts(article_thread)] == ["Kept."]


@pytest.mark.django_db(transaction=True)
def test_a_double_click_sending_the_form_twice_at_once_creates_one_post():
    thread = make_thread()
    author = make_user()
    token, barrier, made, errors = uuid.uuid4(), threading.Barrier(2), [], []

    def click():
        try:
            barrier.wait()
            post = services.post_reply(
                thread=thread, parent=None, author=author, body="Once.", token=token
            )
            made.append(post.pk)
        except Exception as error:  # reported to the main thread, which fails the test
            errors.append(error)
        finally:
            connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for each in clicks:
        each.start()
    for each in clicks:
        each.join()

    assert errors == []
    (post,) = Post.objects.filter(thread=thread)
    assert made == [post.pk, post.pk]


def test_the_form_token_is_stored_with_the_post_so_a_resend_finds_it_without_the_cache(
    client, member, article_thread
):
    page = open_page(client, article_thread.get_absolute_url())
    fields = fields_of(page, form_at(page, comment_url(article_thread)))
    first = send(client, page, comment_url(article_thread), body="Stored once.")
    cache.clear()  # e.g. Redis restarted between the two clicks

    second = send(client, page, comment_url(article_thread), body="Stored once.")

    (post,) = new_posts(article_thread)
    assert post.submission_token == uuid.UUID(fields["token"])
    assert first.url == second.url == f"{article_thread.get_absolute_url()}#post-{post.pk}"


def test_two_authors_sending_the_same_token_each_get_their_own_post():
    thread, token = make_thread(), uuid.uuid4()
    authors = [make_user(), make_user()]

    made = [
        services.post_reply(thread=thread, parent=None, author=author, body="Mine.", token=token)
        for author in authors
    ]

    assert [post.author for post in made] == authors
    assert Post.objects.filter(thread=thread).count() == 2


# Markdown, rendered when written


def posted(client, thread, body):
    page = open_page(client, thread.get_absolute_url())
    response = send(client, page, comment_url(thread), body=body)
    (post, *_) = new_posts(thread)
    page = open_page(client, response.url)
    return post, page, post_element(page, post)


def test_commonmark_renders_emphasis_quotes_lists_and_code(client, member, article_thread):
    body = "> quoted\n\n*em* **strong** `code`\n\n- one\n- two\n\n```\nblock\n```"

    post, page, element = posted(client, article_thread, body)

    tags = {found.tag for found in page.elements if element in found.ancestors()}
    assert {"blockquote", "em", "strong", "code", "ul", "li", "pre"} <= tags
    assert post.body == body


def test_raw_html_in_a_post_shows_as_text_never_as_markup(client, member, article_thread):
    body = '<script>alert(1)</script> <b onclick="x()">bold</b> <iframe src="//evil.example">'

    post, page, element = posted(client, article_thread, body)

    tags = {found.tag for found in page.elements if element in found.ancestors()}
    assert not tags & {"script", "b", "iframe"}
    assert '<script>alert(1)</script> <b onclick="x()">bold</b>' in page.text(element)
    assert "<script" not in post.body_html and "<b" not in post.body_html


def test_images_are_not_rendered(client, member, article_thread):
    post, page, element = posted(client, article_thread, "![a cat](https://example.org/cat.png)")

    assert not [found for found in page.find_all("img") if element in found.ancestors()]
    assert "<img" not in post.body_html


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "//evil.example/path", "data:text/html,hi", "vbscript:x", "/local"],
)
def test_links_other_than_http_https_and_mailto_are_refused(client, member, article_thread, href):
    post, page, element = posted(client, article_thread, f"[click me]({href})")

    links = [found for found in page.find_all("a") if element in found.ancestors()]
    assert [link.attrs.get("href") for link in links if page.text(link) == "click me"] in (
        [],
        [None],
    )
    assert "href" not in post.body_html


@pytest.mark.parametrize(
    "href", ["https://example.org/a?b=c", "http://example.org/", "mailto:kirk@example.org"]
)
def test_allowed_links_carry_rel_nofollow_ugc_noopener(client, member, article_thread, href):
    _, page, element = posted(client, article_thread, f"[see this]({href})")

    (link,) = [found for found in page.find_all("a") if page.text(found) == "see this"]
    assert element in link.ancestors()
    assert (link.attrs["href"], link.attrs["rel"]) == (href, "nofollow ugc noopener")


# Preview


def test_preview_shows_the_rendered_post_above_the_form_and_saves_nothing(
    client, member, article_thread
):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))

    response = send(client, page, reply_url(question), body="**Bold** claim.", preview="1")

    assert response.status_code == 200
    page = open_page_from(response)
    (preview,) = page.find_all("section", "preview")
    assert "<strong>" not in page.text(preview)
    assert [page.text(strong) for strong in inside(page, preview, "strong")] == ["Bold"]
    assert textarea_text(page, form_at(page, reply_url(question))) == "**Bold** claim."
    assert new_posts(article_thread) == [question]


def test_a_preview_then_post_publishes_the_previewed_text(client, member, article_thread):
    page = open_page(client, article_thread.get_absolute_url())
    preview = send(client, page, comment_url(article_thread), body="Draft.", preview="1")

    response = send(client, open_page_from(preview), comment_url(article_thread))

    assert response.status_code == 302
    assert [post.body for post in new_posts(article_thread)] == ["Draft."]


def test_preview_of_an_empty_post_says_so_and_saves_nothing(client, member, article_thread):
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="", preview="1")

    assert response.status_code == 400
    page = open_page_from(response)
    assert not page.find_all("section", "preview")
    form = form_at(page, comment_url(article_thread))
    assert errors_of(page, form) == ["Your comment is empty: write something first."]
    assert new_posts(article_thread) == []
