from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from forum.models import Post
from tests.factories import make_post, make_thread, make_user, set_status

pytestmark = pytest.mark.django_db


def profile_url(username):
    return reverse("accounts:profile", kwargs={"username": username})


def test_profile_shows_the_name_and_join_date(client):
    user = make_user("bob")

    response = client.get(profile_url("bob"))

    content = response.content.decode()
    assert "<h1" in content and ">bob</h1>" in content
    assert f'<time datetime="{user.date_joined.isoformat()}"' in content


def test_profile_lists_published_posts_newest_first_with_thread_titles_and_permalinks(client):
    author = make_user("bob")
    now = timezone.now()
    older = make_post(
        make_thread("Orbital stations"), author=author, created_at=now - timedelta(days=2)
    )
    newer = make_post(make_thread("Moon bases"), author=author, created_at=now)
    make_post(make_thread("Someone else's thread"), author=make_user("carol"))

    content = client.get(profile_url("bob")).content.decode()

    newer_link = f'<a href="{newer.get_absolute_url()}">Moon bases</a>'
    older_link = f'<a href="{older.get_absolute_url()}">Orbital stations</a>'
    assert newer_link in content and older_link in content
    assert content.index(newer_link) < content.index(older_link)
    assert "Someone else&#x27;s thread" not in content
    assert "(2)" in content


def test_profile_hides_removed_and_pending_posts_from_other_readers(client):
    author = make_user("bob")
    thread = make_thread()
    make_post(thread, author=author, body="Still here.")
    set_status(make_post(thread, author=author, body="Taken down."), Post.Status.REMOVED)
    set_status(make_post(thread, author=author, body="Not yet checked."), Post.Status.PENDING)
    client.force_login(make_user("carol"))

    content = client.get(profile_url("bob")).content.decode()

    assert "Still here." in content
    assert "Taken down." not in content
    assert "Not yet checked." not in content


def test_profile_shows_the_author_their_own_pending_post_marked_awaiting_moderation(client):
    author = make_user("bob")
    set_status(
        make_post(make_thread(), author=author, body="Not yet checked."), Post.Status.PENDING
    )
    client.force_login(author)

    content = client.get(profile_url("bob")).content.decode()

    assert "Not yet checked." in content
    assert "awaiting moderation" in content


def test_profile_of_an_unknown_username_is_not_found(client):
    assert client.get(profile_url("nobody")).status_code == 404


@pytest.mark.parametrize("path", ["/accounts/%00/", "/accounts/bob%00/", "/accounts/%00bob/"])
def test_profile_address_with_a_nul_byte_is_not_found(client, path):
    make_user("bob")

    assert client.get(path).status_code == 404


def test_a_display_name_from_seeded_posts_has_no_profile(client):
    make_post(make_thread(), author_name="Kirk")

    assert client.get(profile_url("Kirk")).status_code == 404


def test_profile_pages_hold_25_posts_each(client):
    author = make_user("bob")
    thread = make_thread()
    for _ in range(26):
        make_post(thread, author=author)

    first = client.get(profile_url("bob"))
    second = client.get(profile_url("bob") + "?page=2")

    assert len(first.context["page"]) == 25
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert len(second.context["page"]) == 1
    assert "Page 2 of 2" in second.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["anonymous", "member", "moderator"])
def test_profile_query_count_does_not_grow_with_the_number_of_posts(client, viewer):
    few, many = make_user("few"), make_user("many")
    for _ in range(2):
        make_post(make_thread(), author=few)
    for _ in range(20):
        make_post(make_thread(), author=many)
    if viewer != "anonymous":
        client.force_login(make_user(moderator=viewer == "moderator"))

    assert count_queries(client, profile_url("few")) == count_queries(client, profile_url("many"))


def test_profile_hides_removed_and_pending_posts_from_anonymous_visitors(client):
    author = make_user("bob")
    thread = make_thread()
    make_post(thread, author=author, body="Still here.")
    set_status(make_post(thread, author=author, body="Taken down."), Post.Status.REMOVED)
    set_status(make_post(thread, author=author, body="Not yet checked."), Post.Status.PENDING)

    content = client.get(profile_url("bob")).content.decode()

    assert "Still here." in content
    assert "Taken down." not in content and "Not yet checked." not in content
    assert "(1)" in content


def test_profile_shows_a_moderator_removed_and_pending_posts_marked_as_such(client):
    author = make_user("bob")
    thread = make_thread()
    set_status(make_post(thread, author=author, body="Taken down."), Post.Status.REMOVED)
    set_status(make_post(thread, author=author, body="Not yet checked."), Post.Status.PENDING)
    client.force_login(make_user("mod", moderator=True))

    content = client.get(profile_url("bob")).content.decode()

    assert "Taken down." in content and "Not yet checked." in content
    assert "awaiting moderation" in content
    assert f'<span class="badge">{Post.Status.REMOVED.label}</span>' in content


def test_a_written_profile_costs_the_page_no_extra_query(client):
    make_user("plain")
    described = make_user("described")
    Profile.objects.create(user=described, display_name="Described", bio_html="<p>Hi</p>")

    assert count_queries(client, profile_url("described")) == count_queries(
        client, profile_url("plain")
    )
