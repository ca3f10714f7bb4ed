from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Post, Thread
from tests.factories import make_post, make_thread, set_status
from tests.markup import Page

pytestmark = pytest.mark.django_db

Status = Post.Status
POSTS = reverse("admin:forum_post_changelist")


def query_of(url):
    """The query parameters of a changelist link, as changelist() takes them."""
    return dict(parse_qsl(urlsplit(url).query))


def changelist(client, **query):
    response = client.get(POSTS, query)
    assert response.status_code == 200
    return Page(response.content.decode())


def tree_entries(page):
    """(depth class, text) of each post row, in the changelist's order."""
    entries = []
    for span in page.find_all("span", "parley-tree-entry"):
        (depth,) = [name for name in span.classes if name.startswith("parley-depth-")]
        entries.append((int(depth.removeprefix("parley-depth-")), page.text(span)))
    return entries


@pytest.fixture
def discussion():
    thread = make_thread("Orbital stations")
    root = make_post(thread, author_name="Kirk", body="Russia will go it alone.")
    reply = make_post(thread, parent=root, author_name="Thomas", body="They cannot afford it.")
    make_post(thread, parent=reply, author_name="Rudy", body="Here ya go, a budget.")
    make_post(thread, author_name="Edgar", body="Second tree.")
    return thread


@pytest.fixture
def elsewhere():
    thread = make_thread("Elsewhere")
    make_post(thread, author_name="Ann", body="Another discussion.")
    return thread


def test_changelist_shows_posts_in_tree_order_indented_by_level(admin_client, discussion):
    assert tree_entries(changelist(admin_client)) == [
        (0, "Kirk Russia will go it alone."),
        (1, "Thomas They cannot afford it."),
        (2, "Rudy Here ya go, a budget."),
        (0, "Edgar Second tree."),
    ]


def test_changelist_indents_with_the_admin_stylesheet_not_inline_styles(admin_client, discussion):
    page = changelist(admin_client)
    assert all("style" not in span.attrs for span in page.find_all("span", "parley-tree-entry"))
    stylesheets = [link.attrs["href"] for link in page.find_all("link")]
    assert any(href.endswith("admin/parley-admin.css") for href in stylesheets)


def test_changelist_lists_the_posts_whose_date_the_importer_supplied(admin_client, discussion):
    thread = make_thread("Imported")
    undated = make_post(thread, author_name="Undated", body="No date in the archive.")
    Post.objects.filter(pk=undated.pk).update(dated_by_importer=True)  # as the importer stores it

    page = changelist(admin_client, dated_by_importer__exact="1")

    assert tree_entries(page) == [(0, "Undated No date in the archive.")]
    assert "By dated by the importer" in page.text(page.find_all("body")[0])


def test_changelist_searches_by_author(admin_client, discussion):
    assert tree_entries(changelist(admin_client, q="thomas")) == [
        (1, "Thomas They cannot afford it."),
    ]


def test_changelist_searches_by_text(admin_client, discussion):
    assert tree_entries(changelist(admin_client, q="budget")) == [
        (2, "Rudy Here ya go, a budget."),
    ]


def test_changelist_filters_by_status(admin_client, discussion):
    set_status(Post.objects.get(author_name="Thomas"), Status.REMOVED)
    assert tree_entries(changelist(admin_client, status__exact="removed")) == [
        (1, "Thomas They cannot afford it."),
    ]


def test_changelist_filters_by_thread(admin_client, discussion, elsewhere):
    assert tree_entries(changelist(admin_client, thread__id__exact=elsewhere.pk)) == [
        (0, "Ann Another discussion."),
    ]


def test_changelist_searches_by_thread_title(admin_client, discussion, elsewhere):
    assert tree_entries(changelist(admin_client, q="elsewhere")) == [
        (0, "Ann Another discussion."),
    ]


def sidebar_links(page):
    """The text of each link in the changelist's filter sidebar."""
    sidebar = page.by_id["changelist-filter"]
    return [page.text(link) for link in page.find_all("a") if sidebar in link.ancestors()]


def test_the_thread_filter_names_only_the_chosen_thread(admin_client, discussion):
    make_thread("Elsewhere")
    links = sidebar_links(changelist(admin_client, thread__id__exact=discussion.pk))
    assert "Orbital stations" in links
    assert "Elsewhere" not in links


def test_without_a_chosen_thread_the_sidebar_lists_no_thread(admin_client, discussion):
    make_thread("Elsewhere")
    links = sidebar_links(changelist(admin_client))
    assert "Orbital stations" not in links
    assert "Elsewhere" not in links


def test_a_thread_filter_for_a_thread_that_does_not_exist_shows_no_posts(admin_client, discussion):
    missing = Thread.objects.order_by("pk").last().pk + 1
    assert tree_entries(changelist(admin_client, thread__id__exact=missing)) == []


@pytest.mark.parametrize("value", ["not-a-number", "99999999999999999999999"])
def test_a_thread_filter_that_is_no_thread_id_is_refused_with_the_admins_notice(
    admin_client, value
):
    response = admin_client.get(POSTS, {"thread__id__exact": value})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_each_post_links_to_the_posts_of_its_thread(admin_client, discussion, elsewhere):
    page = changelist(admin_client, q="ann")
    (link,) = [link for link in page.find_all("a") if page.text(link) == "Elsewhere"]
    assert tree_entries(changelist(admin_client, **query_of(link.attrs["href"]))) == [
        (0, "Ann Another discussion."),
    ]


def its_posts_link(client, url, **query):
    """Where the "Its posts" link of a Thread admin page leads."""
    page = Page(client.get(url, query).content.decode())
    (link,) = [link for link in page.find_all("a") if page.text(link) == "Its posts"]
    return query_of(link.attrs["href"])


def test_each_thread_row_links_to_its_posts(admin_client, discussion, elsewhere):
    query = its_posts_link(admin_client, reverse("admin:forum_thread_changelist"), q="elsewhere")
    assert tree_entries(changelist(admin_client, **query)) == [(0, "Ann Another discussion.")]


def test_each_thread_page_links_to_its_posts(admin_client, discussion, elsewhere):
    query = its_posts_link(admin_client, reverse("admin:forum_thread_change", args=[elsewhere.pk]))
    assert tree_entries(changelist(admin_client, **query)) == [(0, "Ann Another discussion.")]


def test_the_thread_add_page_has_no_posts_link_yet(admin_client):
    response = admin_client.get(reverse("admin:forum_thread_add"))
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert not [link for link in page.find_all("a") if page.text(link) == "Its posts"]
    assert "None" not in page.text(page.by_id["thread_form"])


def measured_changelist(client, **query):
    """The changelist's size in bytes and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(POSTS, query)
    assert response.status_code == 200
    return len(response.content), len(queries)


def add_threads(count):
    Thread.objects.bulk_create(
        Thread(title=f"Bulk thread {n}", slug=f"bulk-thread-{n}") for n in range(count)
    )


def test_the_changelist_does_not_grow_with_the_number_of_threads(admin_client):
    for n in range(10):
        make_post(make_thread(f"Thread {n}"), author_name="Reader", body=f"Post {n}.")
    size_at_10, queries_at_10 = measured_changelist(admin_client)

    add_threads(9_990)

    assert Thread.objects.count() == 10_000
    size_at_10_000, queries_at_10_000 = measured_changelist(admin_client)
    assert abs(size_at_10_000 - size_at_10) < 300
    assert queries_at_10_000 == queries_at_10


def test_the_changelist_of_one_thread_does_not_grow_with_the_number_of_threads(admin_client):
    chosen = make_thread("The chosen thread")
    make_post(chosen, author_name="Reader", body="The only post.")
    size_at_1, queries_at_1 = measured_changelist(admin_client, thread__id__exact=chosen.pk)

    add_threads(9_999)

    size_at_10_000, queries_at_10_000 = measured_changelist(
        admin_client, thread__id__exact=chosen.pk
    )
    assert abs(size_at_10_000 - size_at_1) < 300
    assert queries_at_10_000 == queries_at_1


@pytest.mark.parametrize("model", [Post, Thread])
def test_no_delete_action_is_offered(admin_user, model):
    request = RequestFactory().get("/")
    request.user = admin_user
    actions = admin.site.get_model_admin(model).get_actions(request)
    assert "delete_selected" not in actions
    assert "delete_selected_tree" not in actions


def test_the_delete_selected_action_deletes_nothing(admin_client, discussion):
    pks = list(Post.objects.values_list("pk", flat=True))
    admin_client.post(POSTS, {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
    assert sorted(Post.objects.values_list("pk", flat=True)) == sorted(pks)


def test_the_post_delete_page_is_refused(admin_client, discussion):
    post = Post.objects.get(author_name="Thomas")
    url = reverse("admin:forum_post_delete", args=[post.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Post.objects.filter(pk=post.pk, status=Status.PUBLISHED).exists()


def test_the_thread_delete_page_is_refused(admin_client, discussion):
    url = reverse("admin:forum_thread_delete", args=[discussion.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Thread.objects.filter(pk=discussion.pk).exists()


def test_posting_to_a_post_change_page_changes_neither_parent_nor_body(admin_client, discussion):
    rudy = Post.objects.get(author_name="Rudy")
    stored = Post.objects.values("parent_id", "body", "lft", "rght", "level").get(pk=rudy.pk)
    edgar_root = Post.objects.get(author_name="Edgar")
    response = admin_client.post(
        reverse("admin:forum_post_change", args=[rudy.pk]),
        {"parent": edgar_root.pk, "thread": discussion.pk, "body": "Rewritten.", "level": 0},
    )
    assert response.status_code == 403
    assert Post.objects.values("parent_id", "body", "lft", "rght", "level").get(pk=rudy.pk) == (
        stored
    )


def test_the_post_change_page_is_read_only_with_no_select_of_posts(admin_client, discussion):
    rudy = Post.objects.get(author_name="Rudy")
    response = admin_client.get(reverse("admin:forum_post_change", args=[rudy.pk]))
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.find_all("select") == []
    assert page.find_all("textarea") == []
    assert "Here ya go, a budget." in response.content.decode()


def test_there_is_no_add_page_for_posts(admin_client, discussion):
    assert admin_client.get(reverse("admin:forum_post_add")).status_code == 403
    page = changelist(admin_client)
    assert not any(
        link.attrs.get("href") == reverse("admin:forum_post_add") for link in page.find_all("a")
    )


def test_thread_admin_edits_the_title_but_not_the_counts(admin_client, discussion):
    discussion.refresh_from_db()
    counted = (discussion.post_count, discussion.last_activity_at)
    response = admin_client.post(
        reverse("admin:forum_thread_change", args=[discussion.pk]),
        {
            "title": "Orbital stations, revisited",
            "slug": discussion.slug,
            "created_at_0": "2025-01-01",
            "created_at_1": "12:00:00",
            "lock_reason": "",
            "post_count": 999,
            "last_activity_at_0": "2000-01-01",
            "last_activity_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    discussion.refresh_from_db()
    assert discussion.title == "Orbital stations, revisited"
    assert (discussion.post_count, discussion.last_activity_at) == counted
    assert discussion.post_count == 4


def test_thread_changelist_lists_title_posts_activity_and_lock(admin_client, discussion):
    response = admin_client.get(reverse("admin:forum_thread_changelist"))
    page = Page(response.content.decode())
    results = page.by_id["result_list"]
    rows = [tr for tr in page.find_all("tr") if tr.nearest("table") is results]
    header, *threads = [
        [page.text(cell).strip() for cell in page.elements if cell.parent is row] for row in rows
    ]
    # The first column holds the checkboxes of the lock and pre-moderation actions.
    assert header == ["", "Title", "Post count", "Last activity at", "Is locked", "Posts"]
    assert [cells[1:3] for cells in threads] == [["Orbital stations", "4"]]
