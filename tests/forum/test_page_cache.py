"""After every announced write, the next read shows it, whoever reads, though pages are cached.

Each case reads the page first (so its fragment is cached for that reader's audience, and a
logged-in reader's whole page kept for them), makes one write through the code the site uses,
and reads again as the same kind of reader.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from forum import moderation, services, votes
from forum.archives.loader import load
from forum.archives.records import DiscussionRecord, PostRecord
from forum.models import Post, Vote
from forum.rendering import cache as page_cache
from tests.factories import (
    make_article,
    make_moderator,
    make_post,
    make_thread,
    make_user,
    returning_reader,
)
from tests.markup import Page

pytestmark = pytest.mark.django_db

READERS = ["anonymous", "member", "moderator"]


@dataclass
class World:
    thread: object
    alice: object  # a member, author of the first post
    first: object
    second: object
    mod: object
    clients: dict

    def read(self, reader, url=None):
        response = self.clients[reader].get(url or self.thread.get_absolute_url())
        assert response.status_code == 200
        return response.content.decode()


@pytest.fixture
def world():
    article = make_article("Stations in orbit")
    thread = make_thread("Stations in orbit", article=article)
    alice, carol, mod = make_user("alice"), make_user("carol"), make_moderator("mod")
    first = make_post(thread, author=alice, body="Alice's first thought.")
    second = make_post(thread, author_name="Bob", body="Bob's reply, as a reader.", parent=first)
    clients = {
        "anonymous": Client(),
        # Browsers that have been here before: each one's page is kept for it.
        "member": returning_reader(carol),
        "moderator": returning_reader(mod),
    }
    return World(thread, alice, first, second, mod, clients)


def post_html(html, post):
    """The HTML of one post's article element, or None where the page does not show it."""
    page = Page(html)
    element = page.by_id.get(f"post-{post.pk}")
    return None if element is None else page.text(element)


def imported_status_change(world, status):
    """Import the second post again under an external id, then again with another status."""
    Post.objects.filter(pk=world.second.pk).update(external_id="test:2")
    world.thread.external_id = "test:t"
    world.thread.save(update_fields=["external_id"])
    record = PostRecord(
        external_id="test:2",
        discussion_external_id="test:t",
        parent_external_id=None,
        author_name="Bob",
        created_at=world.second.created_at,
        status=status,
        body=world.second.body,
    )
    discussion = DiscussionRecord(
        external_id="test:t", title="x", created_at=world.thread.created_at
    )
    load([discussion, record], source="test")


@pytest.mark.parametrize("reader", READERS)
def test_a_reply_shows_at_once(world, reader):
    world.read(reader)
    services.post_reply(
        thread=world.thread, parent=world.second, author=world.alice, body="A fresh answer."
    )
    assert "A fresh answer." in world.read(reader)


@pytest.mark.parametrize("reader", READERS)
def test_an_edit_shows_at_once(world, reader):
    world.read(reader)
    services.edit_post(post=world.first, editor=world.alice, body="Alice, corrected.")
    html = world.read(reader)
    assert "Alice, corrected." in html
    assert "Alice's first thought." not in html


@pytest.mark.parametrize("reader", READERS)
def test_a_deletion_shows_at_once(world, reader):
    world.read(reader)
    services.delete_post(post=world.first, author=world.alice)
    html = world.read(reader)
    assert "Alice's first thought." not in html
    assert "[deleted]" in post_html(html, world.first)


@pytest.mark.parametrize("reader", READERS)
def test_a_vote_shows_in_the_score_at_once(world, reader):
    world.read(reader)
    votes.cast_vote(post=world.second, voter=world.alice, value=Vote.Value.UP)
    assert "1 point" in post_html(world.read(reader), world.second)


@pytest.mark.parametrize("reader", READERS)
def test_a_post_hidden_by_reports_leaves_the_public_page_at_once(world, reader, settings):
    settings.PARLEY_FLAGS_TO_HIDE = 1
    world.read(reader)
    moderation.flag_post(post=world.second, reporter=world.alice, reason="spam")
    shown = post_html(world.read(reader), world.second)
    if reader == "moderator":
        assert "awaiting moderation" in shown
    else:
        assert shown is None


@pytest.mark.parametrize("reader", READERS)
def test_dismissed_reports_bring_a_hidden_post_back_at_once(world, reader, settings):
    settings.PARLEY_FLAGS_TO_HIDE = 1
    moderation.flag_post(post=world.second, reporter=world.alice, reason="spam")
    world.read(reader)
    moderation.dismiss_flags(post=world.second, moderator=world.mod)
    assert "Bob's reply" in post_html(world.read(reader), world.second)


@pytest.mark.parametrize("reader", READERS)
def test_an_approval_shows_at_once(world, reader):
    held = make_post(world.thread, body="Held for a moderator.", status=Post.Status.PENDING)
    world.read(reader)
    moderation.approve_post(post=held, moderator=world.mod)
    html = world.read(reader)
    assert "Held for a moderator." in html
    assert "awaiting moderation" not in post_html(html, held)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    ("decide", "badge"),
    [
        (lambda w: moderation.remove_post(post=w.second, moderator=w.mod, reason=""), "removed"),
        (lambda w: moderation.mark_spam(post=w.second, moderator=w.mod), "spam"),
    ],
    ids=["remove", "spam"],
)
def test_a_removal_hides_the_post_from_all_but_moderators_at_once(world, reader, decide, badge):
    world.read(reader)
    decide(world)
    shown = post_html(world.read(reader), world.second)
    if reader == "moderator":
        assert badge in shown
    else:
        assert shown is None


@pytest.mark.parametrize("reader", READERS)
def test_a_removal_from_the_admin_shows_at_once(world, reader, admin_client):
    world.read(reader)
    admin_client.post(
        "/admin/forum/post/",
        {"action": "remove", "_selected_action": [world.second.pk], "reason": "off topic"},
    )
    assert Post.objects.get(pk=world.second.pk).status == Post.Status.REMOVED
    assert (post_html(world.read(reader), world.second) is None) == (reader != "moderator")


@pytest.mark.parametrize("reader", READERS)
def test_a_move_shows_the_post_under_its_new_parent_at_once(world, reader):
    third = make_post(world.thread, body="A third, top-level post.")
    world.read(reader)
    moderation.move_post(post=world.second, new_parent=third, moderator=world.mod, reason="")
    page = Page(world.read(reader))
    reply = page.by_id[f"post-{world.second.pk}"]
    assert reply.nearest("ol").attrs["id"] == f"replies-{third.pk}"


@pytest.mark.parametrize("reader", READERS)
def test_a_split_takes_the_post_off_the_page_at_once(world, reader):
    world.read(reader)
    moderation.split_post(post=world.second, moderator=world.mod, reason="", title="Apart")
    assert post_html(world.read(reader), world.second) is None


@pytest.mark.parametrize("reader", READERS)
def test_a_lock_takes_the_reply_links_away_from_all_but_moderators(world, reader):
    world.read(reader)
    moderation.lock_thread(thread=world.thread, moderator=world.mod, reason="Closed.")
    html = world.read(reader)
    assert "This discussion is locked: Closed." in html
    replies = Page(html).find_all("a", "post-reply")
    assert bool(replies) == (reader == "moderator")


@pytest.mark.parametrize("reader", READERS)
def test_premoderation_shows_on_the_moderators_controls_at_once(world, reader):
    world.read(reader)
    moderation.set_premoderation(thread=world.thread, moderator=world.mod, enabled=True)
    html = world.read(reader)
    assert ("Stop holding new posts" in html) == (reader == "moderator")


@pytest.mark.parametrize("reader", READERS)
def test_an_import_that_changes_a_status_shows_at_once(world, reader):
    imported_status_change(world, "published")
    world.read(reader)
    imported_status_change(world, "spam")
    assert (post_html(world.read(reader), world.second) is None) == (reader != "moderator")


@pytest.mark.parametrize("reader", READERS)
def test_an_article_edited_in_the_admin_shows_at_once(world, reader, admin_client):
    article = world.thread.article
    world.read(reader)
    admin_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "title": "Stations, revised",
            "slug": article.slug,
            "published_at_0": "2024-01-01",
            "published_at_1": "12:00:00",
            "body": "A new first paragraph.",
        },
    )
    html = world.read(reader)
    assert "Stations, revised" in html
    assert "A new first paragraph." in html


@pytest.mark.parametrize("reader", READERS)
def test_a_thread_edited_in_the_admin_shows_at_once(world, reader, admin_client):
    url = world.thread.get_forum_url()
    world.read(reader, url)
    admin_client.post(
        f"/admin/forum/thread/{world.thread.pk}/change/",
        {
            "title": "Renamed discussion",
            "slug": world.thread.slug,
            "article": world.thread.article_id,
            "created_at_0": "2024-01-01",
            "created_at_1": "12:00:00",
        },
    )
    assert "Renamed discussion" in world.read(reader, url)


def test_a_member_who_joins_the_moderators_gets_their_tools_at_once(world):
    carol = world.clients["member"]
    assert "moderation-menu" not in carol.get(world.thread.get_absolute_url()).content.decode()
    member = make_user("dave")
    client = Client()
    client.force_login(member)
    client.get(world.thread.get_absolute_url())
    member.groups.add(Group.objects.get(name="Moderators"))
    html = client.get(world.thread.get_absolute_url()).content.decode()
    assert "moderation-menu" in html


def test_a_moderator_who_leaves_the_moderators_loses_their_tools_and_held_posts(world):
    held = make_post(world.thread, body="Held for a moderator.", status=Post.Status.PENDING)
    client = world.clients["moderator"]
    assert "Held for a moderator." in client.get(world.thread.get_absolute_url()).content.decode()
    world.mod.groups.clear()
    html = client.get(world.thread.get_absolute_url()).content.decode()
    assert "moderation-menu" not in html
    assert post_html(html, held) is None


def author_link(html, post):
    """Where the post's author name links to, or None where the name is no link."""
    page = Page(html)
    article = page.by_id[f"post-{post.pk}"]
    links = [a for a in page.find_all("a", "post-author") if a.nearest("article") is article]
    return links[0].attrs["href"] if links else None


@pytest.mark.parametrize("reader", READERS)
def test_a_deleted_accounts_posts_lose_their_profile_link_at_once(world, reader, admin_client):
    profile = reverse("accounts:profile", kwargs={"username": "alice"})
    assert author_link(world.read(reader), world.first) == profile

    response = admin_client.post(
        reverse("admin:auth_user_delete", args=[world.alice.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Post.objects.get(pk=world.first.pk).author_id is None
    html = world.read(reader)
    assert author_link(html, world.first) is None
    after = " ".join(post_html(html, world.first).split())
    assert after.startswith("AL alice ")  # the name it was written under stays, unlinked
    assert "Ban alice" not in after  # a moderator's tools act on an account no longer there


# Each reader's own parts never reach another reader


def member_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_two_members_each_see_only_their_own_edit_links_and_votes(world):
    bob = make_user("bobby")
    bobs = make_post(world.thread, author=bob, body="Bob's own post.")
    votes.cast_vote(post=bobs, voter=world.alice, value=Vote.Value.UP)
    alices_page = Page(
        member_client(world.alice).get(world.thread.get_absolute_url()).content.decode()
    )
    bobs_page = Page(member_client(bob).get(world.thread.get_absolute_url()).content.decode())

    def edit_targets(page):
        return {a.attrs["href"] for a in page.find_all("a", "post-edit")}

    assert edit_targets(alices_page) == {f"/forum/post/{world.first.pk}/edit/"}
    assert edit_targets(bobs_page) == {f"/forum/post/{bobs.pk}/edit/"}
    pressed = [
        b for b in alices_page.find_all("button", "vote-up") if b.attrs["aria-pressed"] == "true"
    ]
    assert [b.nearest("article").attrs["id"] for b in pressed] == [f"post-{bobs.pk}"]
    assert not [b for b in bobs_page.find_all("button") if b.attrs.get("aria-pressed") == "true"]


def test_two_members_each_get_their_own_csrf_token(world):
    bob = make_user("bobby")
    tokens = []
    for user in (world.alice, bob):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        page = Page(client.get(world.thread.get_absolute_url()).content.decode())
        inputs = [
            i for i in page.find_all("input") if i.attrs.get("name") == "csrfmiddlewaretoken"
        ]
        tokens.append({i.attrs["value"] for i in inputs})
        # Each token on the page is accepted for this member's own vote.
        response = client.post(
            f"/forum/post/{world.second.pk}/vote/",
            {"value": "up", "csrfmiddlewaretoken": inputs[-1].attrs["value"]},
        )
        assert response.status_code == 302
    assert tokens[0].isdisjoint(tokens[1])


def test_moderators_tools_and_held_posts_never_reach_a_member_after_a_moderator_read(world):
    held = make_post(world.thread, body="Held for a moderator.", status=Post.Status.PENDING)
    assert "moderation-menu" in world.read("moderator")
    for reader in ("member", "anonymous"):
        html = world.read(reader)
        assert "moderation-menu" not in html
        assert "Held for a moderator." not in html
        assert post_html(html, held) is None


def test_an_authors_held_post_is_shown_to_them_alone(world):
    held = make_post(
        world.thread, author=world.alice, body="Alice waits.", status=Post.Status.PENDING
    )
    alice = member_client(world.alice)
    assert "Alice waits." in alice.get(world.thread.get_absolute_url()).content.decode()
    for reader in ("member", "anonymous"):
        assert post_html(world.read(reader), held) is None


# The cache at work


def test_a_second_read_is_served_from_the_cache(world):
    world.read("anonymous")
    misses = page_cache.stats["misses"]
    world.read("member")
    assert page_cache.stats["misses"] == misses


def test_a_random_query_string_does_not_force_a_render(world):
    world.read("anonymous")
    misses = page_cache.stats["misses"]
    for n in range(5):
        world.read("anonymous", f"{world.thread.get_absolute_url()}?x={n}&page=9{n}")
    assert page_cache.stats["misses"] - misses <= 1


@pytest.mark.parametrize("url", ["article", "forum"])
def test_a_members_page_asks_the_cache_for_the_page_count_once(world, monkeypatch, url):
    base = world.thread.get_absolute_url() if url == "article" else world.thread.get_forum_url()
    world.read("member", f"{base}?page=2")  # the count of pages is kept by this first render
    asked = []
    read = page_cache.read

    def counting_read(key):
        asked.append(key)
        return read(key)

    monkeypatch.setattr(page_cache, "read", counting_read)
    html = world.read("member", f"{base}?page=2")

    assert len([key for key in asked if ":pages:" in key]) == 1
    assert post_html(html, world.first) is not None  # one page only: the page asked is the last


def test_pages_stay_right_when_the_cache_fails(world, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        }
    }
    before = world.read("anonymous")
    moderation.remove_post(post=world.second, moderator=world.mod, reason="")
    after = world.read("anonymous")
    assert "Bob's reply" in before
    assert "Bob's reply" not in after


def test_a_write_renders_again_only_the_tree_it_touched(world):
    others = [make_post(world.thread, body=f"Top-level post {n}.") for n in range(3)]
    world.read("member")
    misses = page_cache.stats["tree_misses"]
    votes.cast_vote(post=others[1], voter=world.alice, value=Vote.Value.UP)
    html = world.read("member")
    assert page_cache.stats["tree_misses"] - misses == 1
    assert "1 point" in post_html(html, others[1])
