"""Badges only where they tell something: a moderator's comments, and the discussion's starter's
("OP"), matched by account; right at the next read however the pages are cached."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from forum import moderation, services
from forum.models import Thread
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

READERS = ["anonymous", "member", "moderator"]


@dataclass
class World:
    thread: object
    alice: object  # started the discussion in the forum
    bob: object  # a member
    mod: object  # in the Moderators group
    opening: object  # alice's
    answer: object  # bob's, to the opening comment
    ruling: object  # mod's, to bob's
    again: object  # alice's, to bob's
    clients: dict

    def read(self, reader, url=None):
        response = self.clients[reader].get(url or self.thread.get_absolute_url())
        assert response.status_code == 200
        return response.content.decode()


@pytest.fixture
def world():
    alice, bob, mod = make_user("alice"), make_user("bob"), make_moderator("mod")
    thread = services.start_thread(title="Orbital stations", author=alice, body="Which one?")
    opening = thread.posts.get()
    answer = make_post(thread, parent=opening, author=bob, body="The Chinese one.")
    ruling = make_post(thread, parent=answer, author=mod, body="Keep it civil.")
    again = make_post(thread, parent=answer, author=alice, body="Why that one?")
    clients = {
        "anonymous": Client(),
        "member": returning_reader(make_user("carol")),
        "moderator": returning_reader(make_moderator("another-mod")),
    }
    return World(thread, alice, bob, mod, opening, answer, ruling, again, clients)


def badges(html, post):
    """The badges beside the author's name in this post's header."""
    page = Page(html)
    article = page.by_id[f"post-{post.pk}"]
    found = [*page.find_all("span", "badge-role"), *page.find_all("abbr", "badge-role")]
    in_post = [badge for badge in found if badge.nearest("article") is article]
    return sorted(page.text(badge) for badge in in_post)


def moderators_group():
    return Group.objects.get(name="Moderators")


# What readers see


@pytest.mark.parametrize("reader", READERS)
def test_a_moderators_comments_wear_the_moderator_badge_and_members_none(world, reader):
    html = world.read(reader)
    assert badges(html, world.ruling) == ["moderator"]
    assert badges(html, world.answer) == []


@pytest.mark.parametrize("reader", READERS)
def test_the_starter_wears_op_on_each_of_their_comments_in_the_discussion(world, reader):
    html = world.read(reader)
    assert badges(html, world.opening) == ["OP"]
    assert badges(html, world.again) == ["OP"]
    assert badges(html, world.answer) == []
    titles = {badge.attrs["title"] for badge in Page(html).find_all("abbr", "badge-role")}
    assert titles == {"started this discussion"}


@pytest.mark.parametrize("reader", READERS)
def test_a_permalink_page_shows_the_same_badges(world, reader):
    html = world.read(reader, world.answer.get_absolute_url())
    assert badges(html, world.opening) == badges(html, world.again) == ["OP"]
    assert badges(html, world.ruling) == ["moderator"]


def test_a_starter_who_moderates_wears_both_badges(world):
    world.alice.groups.add(moderators_group())
    assert badges(world.read("member"), world.again) == ["OP", "moderator"]


@pytest.mark.parametrize(
    ("make_author", "badged"),
    [
        (lambda: make_moderator("in-group"), True),
        (lambda: make_user("granted", moderator=True), True),
        (lambda: _saved(make_user("root"), is_superuser=True), True),
        (lambda: _saved(make_moderator("gone"), is_active=False), False),
        (lambda: _saved(make_user("staff"), is_staff=True), False),
    ],
    ids=["moderators group", "permission", "superuser", "inactive moderator", "staff"],
)
def test_the_badge_follows_who_may_moderate(world, make_author, badged):
    post = make_post(world.thread, author=make_author(), body="A word.")
    assert badges(world.read("member"), post) == (["moderator"] if badged else [])


def _saved(user, **fields):
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    return user


def test_a_discussion_started_from_the_forum_page_names_its_opening_comment(client):
    alice = make_user("alice")
    client.force_login(alice)
    action = reverse("forum:thread-new")
    response = send(client, open_page(client, action), action, title="Moon", body="Landing?")

    thread = Thread.objects.get(title="Moon")
    assert thread.opening_post == thread.posts.get()
    assert thread.starter_pk == alice.pk
    assert badges(client.get(response.url).content.decode(), thread.opening_post) == ["OP"]


# Matched by account, never by name


@pytest.mark.parametrize("reader", READERS)
def test_a_namesake_never_wears_op(world, reader):
    by_name = make_post(world.thread, author_name="alice", body="Me, a guest named alice.")
    world.alice.username = (
        "alicia"  # renamed: her old comments keep the name they were written under
    )
    world.alice.save(update_fields=["username"])
    new_alice = make_user("alice")
    by_account = make_post(world.thread, author=new_alice, body="Me, the new alice.")

    html = world.read(reader)

    assert badges(html, by_name) == []
    assert badges(html, by_account) == []
    assert badges(html, world.again) == ["OP"]


@pytest.mark.parametrize("reader", READERS)
def test_an_articles_discussion_has_no_starter(reader):
    thread = make_thread("On orbit", article=make_article("On orbit"))
    first_commenter = make_user("first")
    first = make_post(thread, author=first_commenter, body="First!")
    later = make_post(thread, parent=first, author=first_commenter, body="Still me.")
    client = Client()
    if reader != "anonymous":
        client.force_login(make_moderator() if reader == "moderator" else make_user())
    html = client.get(thread.get_absolute_url()).content.decode()
    assert badges(html, first) == badges(html, later) == []


def test_a_discussion_split_off_has_no_starter(world):
    apart = moderation.split_post(post=world.answer, moderator=world.mod, reason="", title="Apart")
    html = Client().get(apart.get_absolute_url()).content.decode()
    assert badges(html, world.again) == []  # alice started the old discussion, not this one
    assert badges(html, world.ruling) == ["moderator"]


# Right at the next read, though every page is cached


@pytest.mark.parametrize("reader", READERS)
def test_the_starter_deleting_the_opening_comment_takes_op_off_the_others_at_once(world, reader):
    elsewhere = make_post(world.thread, author=world.alice, body="A tree of its own.")
    assert badges(world.read(reader), elsewhere) == ["OP"]
    services.delete_post(post=world.opening, author=world.alice)
    html = world.read(reader)
    assert badges(html, elsewhere) == badges(html, world.again) == []


@pytest.mark.parametrize("reader", READERS)
def test_a_starters_account_deleted_takes_op_off_at_once(world, reader):
    later = make_post(world.thread, author=world.bob, body="Bob again.")
    assert badges(world.read(reader), world.again) == ["OP"]
    world.alice.delete()
    html = world.read(reader)
    assert badges(html, world.again) == badges(html, later) == []


@pytest.mark.parametrize("reader", READERS)
def test_joining_the_moderators_shows_the_badge_at_the_next_read(world, reader):
    assert badges(world.read(reader), world.answer) == []
    world.bob.groups.add(moderators_group())
    assert badges(world.read(reader), world.answer) == ["moderator"]
    assert badges(world.read(reader, world.answer.get_absolute_url()), world.answer) == [
        "moderator"
    ]


@pytest.mark.parametrize("reader", READERS)
def test_leaving_the_moderators_drops_the_badge_at_the_next_read(world, reader):
    world.read(reader, world.ruling.get_absolute_url())
    assert badges(world.read(reader), world.ruling) == ["moderator"]
    world.mod.groups.remove(moderators_group())
    assert badges(world.read(reader), world.ruling) == []
    assert badges(world.read(reader, world.ruling.get_absolute_url()), world.ruling) == []


@pytest.mark.parametrize("reader", READERS)
def test_a_moderator_taken_out_of_the_group_in_the_admin_loses_the_badge(
    world, reader, admin_client
):
    assert badges(world.read(reader), world.ruling) == ["moderator"]
    mod = world.mod
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[mod.pk]),
        {
            "username": mod.username,
            "is_active": "on",
            "groups": [],
            "user_permissions": [],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": mod.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": mod.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not mod.groups.exists()
    assert badges(world.read(reader), world.ruling) == []


@pytest.mark.parametrize("reader", READERS)
def test_a_member_made_a_moderator_in_the_admin_wears_the_badge(world, reader, admin_client):
    assert badges(world.read(reader), world.answer) == []
    bob = world.bob
    admin_client.post(
        reverse("admin:auth_user_change", args=[bob.pk]),
        {
            "username": bob.username,
            "is_active": "on",
            "groups": [moderators_group().pk],
            "date_joined_0": bob.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": bob.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert bob.groups.filter(name="Moderators").exists()
    assert badges(world.read(reader), world.answer) == ["moderator"]


@pytest.mark.parametrize("reader", READERS)
def test_the_moderators_group_losing_its_permission_drops_every_members_badge(world, reader):
    assert badges(world.read(reader), world.ruling) == ["moderator"]
    moderators_group().permissions.remove(Permission.objects.get(codename="moderate_post"))
    assert badges(world.read(reader), world.ruling) == []


@pytest.mark.parametrize("reader", READERS)
def test_deleting_the_moderators_group_in_the_admin_drops_the_badge(world, reader, admin_client):
    assert badges(world.read(reader), world.ruling) == ["moderator"]
    group = moderators_group()
    admin_client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert not Group.objects.filter(pk=group.pk).exists()
    assert badges(world.read(reader), world.ruling) == []


@pytest.mark.parametrize("reader", READERS)
def test_a_deactivated_moderator_loses_the_badge_at_the_next_read(world, reader):
    assert badges(world.read(reader), world.ruling) == ["moderator"]
    _saved(world.mod, is_active=False)
    assert badges(world.read(reader), world.ruling) == []
