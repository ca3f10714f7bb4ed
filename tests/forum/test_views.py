from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from forum.models import Post
from tests.factories import make_article, make_post, make_thread, make_user, set_status
from tests.markup import Page

pytestmark = pytest.mark.django_db

Status = Post.Status


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, Page(response.content.decode())


def shown_text(client, thread, post):
    """The text a reader sees in place of the post on its thread page, or None if it is gone."""
    _, page = get_page(client, thread.get_forum_url())
    element_id = f"post-{post.pk}"
    return page.text(element_id) if element_id in page.by_id else None


# The thread list


def test_thread_list_shows_each_threads_title_post_count_and_last_activity(client):
    thread = make_thread("Rockets and how to land them")
    make_post(thread)
    last = make_post(thread, created_at=timezone.now() + timedelta(minutes=1))

    _, page = get_page(client, reverse("forum:thread-list"))

    (item,) = page.find_all("a", "thread-title")
    assert item.attrs["href"] == thread.get_forum_url()
    text = " ".join(page.text(item.parent).split())
    assert text.startswith("Rockets and how to land them 2 comments · last activity")
    (time,) = (element for element in page.find_all("time") if item.parent in element.ancestors())
    assert time.attrs["datetime"] == last.created_at.isoformat()


def test_thread_list_leaves_out_discussions_of_articles_not_yet_published(client):
    make_thread("Embargoed", article=make_article(published_at=timezone.now() + timedelta(1)))
    make_thread("Open")

    _, page = get_page(client, reverse("forum:thread-list"))

    assert [page.text(a) for a in page.find_all("a", "thread-title")] == ["Open"]


# A thread page


def test_thread_page_shows_the_discussion_with_replies_nested_in_their_parents_list(client):
    thread = make_thread("Holes")
    question = make_post(thread, author_name="Kirk", body="Why two holes?")
    answer = make_post(thread, parent=question, author_name="Jeff", body="Ports.")
    follow_up = make_post(thread, parent=answer, author_name="Kirk", body="Thanks!")

    _, page = get_page(client, thread.get_forum_url())

    assert page.by_id[f"post-{answer.pk}"].nearest("ol").attrs["id"] == f"replies-{question.pk}"
    assert page.by_id[f"post-{follow_up.pk}"].nearest("ol").attrs["id"] == f"replies-{answer.pk}"
    enclosing = [
        element.attrs.get("id") for element in page.by_id[f"post-{follow_up.pk}"].ancestors()
    ]
    assert f"replies-{question.pk}" in enclosing
    assert page.by_id[f"post-{question.pk}"].nearest("ol").classes == {"discussion"}


@override_settings(PARLEY_SITE_URL="https://news.example")
def test_thread_page_of_an_article_links_to_the_article_as_canonical(client):
    article = make_article("The news itself")
    thread = make_thread(article=article)

    response, _ = get_page(client, thread.get_forum_url())

    html = response.content.decode()
    assert (
        f'<link rel="canonical" href="https://news.example{article.get_absolute_url()}">' in html
    )
    assert f'<a href="{article.get_absolute_url()}">The news itself</a>' in html


@override_settings(PARLEY_SITE_URL="https://news.example")
def test_thread_page_without_an_article_is_its_own_canonical_page(client):
    thread = make_thread()

    response, page = get_page(client, thread.get_forum_url())

    html = response.content.decode()
    assert f'<link rel="canonical" href="https://news.example{thread.get_forum_url()}">' in html
    assert not page.find_all("p", "thread-article")


@override_settings(ALLOWED_HOSTS=["*"], PARLEY_SITE_URL="https://news.example")
def test_thread_page_never_writes_the_requests_host(client):
    thread = make_thread()
    make_post(thread)

    response = client.get(thread.get_forum_url(), HTTP_HOST="evil.example")

    html = response.content.decode()
    assert f'<link rel="canonical" href="https://news.example{thread.get_forum_url()}">' in html
    assert "evil.example" not in html


def test_locked_thread_page_says_it_is_locked_and_why(client):
    thread = make_thread(is_locked=True, lock_reason="the discussion ran its course")

    _, page = get_page(client, thread.get_forum_url())

    (notice,) = page.find_all("p", "notice-locked")
    assert page.text(notice) == "This discussion is locked: the discussion ran its course"


def test_thread_of_an_article_not_yet_published_is_not_found(client):
    thread = make_thread(article=make_article(published_at=timezone.now() + timedelta(1)))

    assert client.get(thread.get_forum_url()).status_code == 404


# How each post is shown


def test_post_shows_author_time_permalink_and_its_rendered_body(client):
    thread = make_thread()
    post = make_post(thread, author_name="Kirk", body="So *why* the two holes?")

    response, page = get_page(client, thread.get_forum_url())

    element = page.by_id[f"post-{post.pk}"]
    assert element.tag == "article"
    html = response.content.decode()
    assert '<span class="post-author">Kirk</span>' in html
    assert f'<time datetime="{post.created_at.isoformat()}">' in html
    assert f'href="{reverse("forum:post", kwargs={"pk": post.pk})}"' in html
    assert "<p>So <em>why</em> the two holes?</p>" in html


def test_registered_authors_wear_no_badge_that_tells_nothing(client):
    thread = make_thread()
    member_post = make_post(thread, author=make_user("kirk"))

    _, page = get_page(client, thread.get_forum_url())

    assert not page.find_all("span", "badge")
    assert "member" not in page.text(f"post-{member_post.pk}")
    assert Post.objects.get(pk=member_post.pk).author.username == "kirk"


def test_post_text_is_not_escaped_twice_nor_left_raw(client):
    thread = make_thread()
    post = make_post(thread, body="Fish & chips <script>alert(1)</script>")

    response, _ = get_page(client, thread.get_forum_url())

    html = response.content.decode()
    assert "Fish &amp; chips" in html
    assert "<script>" not in html
    assert "Fish &amp; chips" in Post.objects.get(pk=post.pk).body_html


# The status table, as each reader sees it


def test_removed_post_with_a_visible_reply_is_shown_as_removed(client):
    thread = make_thread()
    removed = make_post(thread, author_name="Troll", body="Rude words.")
    reply = make_post(thread, parent=removed, body="Please be civil.")
    set_status(removed, Status.REMOVED)

    text = shown_text(client, thread, removed)

    assert "[removed]" in text
    assert "Rude words." not in text and "Troll" not in text
    assert "Please be civil." in shown_text(client, thread, reply)
    assert Post.objects.get(pk=removed.pk).body == "Rude words."


def test_removed_post_without_visible_replies_is_not_shown(client):
    thread = make_thread()
    removed = make_post(thread, body="Rude words.")
    hidden_reply = make_post(thread, parent=removed, body="Also rude.")
    set_status(hidden_reply, Status.REMOVED)
    set_status(removed, Status.REMOVED)

    assert shown_text(client, thread, removed) is None
    assert shown_text(client, thread, hidden_reply) is None


def test_spam_is_shown_to_readers_as_removed(client):
    thread = make_thread()
    spam = make_post(thread, body="Cheap watches.")
    make_post(thread, parent=spam, body="Reported.")
    set_status(spam, Status.SPAM)

    text = shown_text(client, thread, spam)

    assert "[removed]" in text and "Cheap watches." not in text


def test_deleted_post_with_a_visible_reply_is_shown_as_deleted(client):
    thread = make_thread()
    deleted = make_post(thread, author_name="Kirk", body="Second thoughts.")
    make_post(thread, parent=deleted, body="What did he say?")
    set_status(deleted, Status.DELETED)

    text = shown_text(client, thread, deleted)

    assert "[deleted]" in text
    assert "Second thoughts." not in text and "Kirk" not in text


def test_deleted_post_without_replies_is_not_shown(client):
    thread = make_thread()
    deleted = make_post(thread, body="Second thoughts.")
    set_status(deleted, Status.DELETED)

    assert shown_text(client, thread, deleted) is None


def test_deleted_post_text_is_hidden_from_moderators_too(client):
    thread = make_thread()
    deleted = make_post(thread, body="Second thoughts.")
    make_post(thread, parent=deleted)
    set_status(deleted, Status.DELETED)
    client.force_login(make_user(moderator=True))

    text = shown_text(client, thread, deleted)

    assert "[deleted]" in text and "Second thoughts." not in text


def test_pending_post_is_hidden_from_anonymous_readers(client):
    thread = make_thread()
    pending = make_post(thread, author=make_user(), status=Status.PENDING)

    assert shown_text(client, thread, pending) is None


def test_pending_post_is_hidden_from_other_members(client):
    thread = make_thread()
    pending = make_post(thread, author=make_user(), status=Status.PENDING)
    client.force_login(make_user())

    assert shown_text(client, thread, pending) is None


def test_pending_post_is_shown_to_its_author_marked_awaiting_moderation(client):
    thread = make_thread()
    author = make_user()
    pending = make_post(thread, author=author, body="My first post.", status=Status.PENDING)
    client.force_login(author)

    text = shown_text(client, thread, pending)

    assert "My first post." in text and "awaiting moderation" in text
    assert thread.posts.get().status == Status.PENDING


def test_pending_post_is_shown_to_moderators_marked_awaiting_moderation(client):
    thread = make_thread()
    pending = make_post(thread, author=make_user(), body="Please approve.", status=Status.PENDING)
    client.force_login(make_user(moderator=True))

    text = shown_text(client, thread, pending)

    assert "Please approve." in text and "awaiting moderation" in text


@pytest.mark.parametrize("status", [Status.REMOVED, Status.SPAM])
def test_moderators_see_removed_posts_in_place_marked_with_their_status(client, status):
    thread = make_thread()
    hidden = make_post(thread, author_name="Troll", body="Rude words.")
    set_status(hidden, status)
    client.force_login(make_user(moderator=True))

    text = shown_text(client, thread, hidden)

    assert "Rude words." in text and "Troll" in text and str(status.label) in text


def test_published_posts_carry_no_status_mark(client):
    thread = make_thread()
    post = make_post(thread)
    client.force_login(make_user(moderator=True))

    _, page = get_page(client, thread.get_forum_url())

    assert page.by_id[f"post-{post.pk}"].classes == {"post"}
    assert not page.find_all("strong", "badge-status")


# A post's permalink page


def test_permalink_shows_the_post_its_ancestors_and_its_replies_but_not_its_siblings(client):
    thread = make_thread()
    root = make_post(thread, body="The root.")
    parent = make_post(thread, parent=root, body="The parent.")
    post = make_post(thread, parent=parent, body="The post.")
    reply = make_post(thread, parent=post, body="A reply.")
    sibling = make_post(thread, parent=parent, body="A sibling.")
    other_tree = make_post(thread, body="Another discussion.")

    _, page = get_page(client, post.get_absolute_url())

    shown = {element.attrs["id"] for element in page.find_all("article", "post")}
    assert shown == {f"post-{p.pk}" for p in (root, parent, post, reply)}
    assert f"post-{sibling.pk}" not in page.by_id and f"post-{other_tree.pk}" not in page.by_id
    assert page.by_id[f"post-{reply.pk}"].nearest("ol").attrs["id"] == f"replies-{post.pk}"
    assert "post-focus" in page.by_id[f"post-{post.pk}"].classes


def test_permalink_links_to_the_post_in_its_whole_discussion(client):
    article = make_article()
    thread = make_thread(article=article)
    post = make_post(thread, author_name="Kirk")

    response, page = get_page(client, post.get_absolute_url())

    html = response.content.decode()
    assert f'href="{article.get_absolute_url()}#post-{post.pk}"' in html
    assert "A comment by Kirk in" in page.text(page.find_all("h1")[0])


def test_permalink_of_a_hidden_post_is_not_found(client):
    thread = make_thread()
    removed = make_post(thread)
    set_status(removed, Status.REMOVED)

    response = client.get(removed.get_absolute_url())

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_permalink_of_a_pending_post_opens_for_its_author_only(client):
    thread = make_thread()
    author = make_user()
    pending = make_post(thread, author=author, status=Status.PENDING)

    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(author)
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_permalink_of_a_deleted_post_with_replies_shows_the_placeholder_and_replies(client):
    thread = make_thread()
    deleted = make_post(thread, author_name="Kirk", body="Gone.")
    reply = make_post(thread, parent=deleted, body="Still here.")
    set_status(deleted, Status.DELETED)

    response, page = get_page(client, deleted.get_absolute_url())

    assert "[deleted]" in page.text(f"post-{deleted.pk}")
    assert "Still here." in page.text(f"post-{reply.pk}")
    assert "Kirk" not in response.content.decode() and "Gone." not in response.content.decode()


def test_permalink_of_a_reply_under_a_pending_post_is_not_found_for_readers(client):
    thread = make_thread()
    parent = make_post(thread)
    reply = make_post(thread, parent=parent)
    set_status(parent, Status.PENDING)

    assert client.get(reply.get_absolute_url()).status_code == 404


def test_permalink_of_an_unknown_post_is_not_found(client):
    assert client.get(reverse("forum:post", kwargs={"pk": 999_999})).status_code == 404


# The site's frame


def test_not_found_page_uses_the_sites_template(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert [template.name for template in response.templates][:2] == ["404.html", "base.html"]
    html = response.content.decode()
    assert "Page not found" in html
    assert f'href="{reverse("forum:thread-list")}"' in html


def test_server_error_page_renders_in_the_sites_style_without_the_database():
    request = RequestFactory().get("/")

    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and '<a class="site-name" href="/">Parley</a>' in html
    assert len(queries) == 0


def test_every_page_links_the_one_stylesheet_and_script_and_has_no_inline_style_or_script(
    client,
):
    article = make_article()
    thread = make_thread(article=article)
    post = make_post(thread)
    urls = [
        reverse("articles:home"),
        article.get_absolute_url(),
        reverse("forum:thread-list"),
        thread.get_forum_url(),
        post.get_absolute_url(),
        "/no/such/page/",
    ]
    for url in urls:
        response = client.get(url)
        page = Page(response.content.decode())
        stylesheets = [
            link.attrs["href"]
            for link in page.find_all("link")
            if link.attrs["rel"] == "stylesheet"
        ]
        assert stylesheets == ["/static/css/parley.css"], url
        scripts = page.find_all("script")
        # Scripts come from our own files only; the CSP's script-src 'self' forbids inline ones.
        assert [script.attrs.get("src") for script in scripts] == ["/static/js/reply.js"], url
        assert not [script for script in scripts if page.text(script).strip()], url
        assert not page.find_all("style"), url
        assert not [element for element in page.elements if "style" in element.attrs], url
        assert "style-src 'self'" in response.headers["Content-Security-Policy"]
    assert finders.find("css/parley.css")
    assert finders.find("js/reply.js")


def test_pages_have_banner_main_and_footer_landmarks_with_site_navigation(client):
    _, page = get_page(client, reverse("forum:thread-list"))

    landmarks = [
        element for element in page.elements if element.tag in {"header", "main", "footer"}
    ]
    assert [element.tag for element in landmarks if element.parent.tag == "body"] == [
        "header",
        "main",
        "footer",
    ]
    (site_nav,) = page.find_all("nav", "site-nav")
    links = [page.text(a) for a in page.find_all("a") if site_nav in a.ancestors()]
    assert links[:3] == ["Parley", "Home", "Forum"]


def test_navigation_marks_the_forum_as_the_current_section_on_forum_pages(client):
    thread = make_thread()

    _, list_page = get_page(client, reverse("forum:thread-list"))
    _, thread_page = get_page(client, thread.get_forum_url())
    _, home_page = get_page(client, reverse("articles:home"))

    def current(page):
        return {
            page.text(a): a.attrs["aria-current"]
            for a in page.find_all("a")
            if "aria-current" in a.attrs
        }

    assert current(list_page) == {"Forum": "page"}
    assert current(thread_page) == {"Forum": "true"}
    assert current(home_page) == {"Home": "page"}


def test_a_members_name_leads_to_their_profile_and_an_imported_name_leads_nowhere(client):
    thread = make_thread()
    member_post = make_post(thread, author=make_user("kirk.t"))
    seeded_post = make_post(thread, author_name="Robert G. Oler")

    _, page = get_page(client, thread.get_forum_url())

    (link,) = [a for a in page.find_all("a", "post-author") if page.text(a) == "kirk.t"]
    assert link.attrs["href"] == reverse("accounts:profile", kwargs={"username": "kirk.t"})
    assert link.nearest("article").attrs["id"] == f"post-{member_post.pk}"
    (name,) = [s for s in page.find_all("span", "post-author") if page.text(s) == "Robert G. Oler"]
    assert name.nearest("article").attrs["id"] == f"post-{seeded_post.pk}"
    profile = client.get(link.attrs["href"])
    assert profile.status_code == 200
    assert Post.objects.get(pk=member_post.pk).author.username == "kirk.t"


def test_each_author_wears_initials_on_a_colour_of_their_name(client):
    thread = make_thread()
    first = make_post(thread, author_name="Robert G. Oler")
    second = make_post(thread, author_name="Robert G. Oler")
    make_post(thread, author_name="duheagle")

    _, page = get_page(client, thread.get_forum_url())

    avatars = {
        avatar.nearest("article").attrs["id"]: (page.text(avatar), avatar.classes)
        for avatar in page.find_all("span", "avatar")
    }
    assert avatars[f"post-{first.pk}"][0] == "RG"
    assert avatars[f"post-{first.pk}"] == avatars[f"post-{second.pk}"]
    assert {text for text, _classes in avatars.values()} == {"RG", "DU"}
    colours = [c for _text, classes in avatars.values() for c in classes if c[-1].isdigit()]
    assert len(colours) == 3 and all(c.startswith("avatar-") for c in colours)
