import threading
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from forum import moderation, votes
from forum.models import Post, Thread, Vote
from tests.factories import make_moderator, make_post, make_thread, make_user, set_status
from tests.markup import Page

pytestmark = pytest.mark.django_db

Status = Post.Status


def vote(client, post, value, *, next_page=None):
    data = {"value": value, "next": next_page or post.thread.get_forum_url()}
    return client.post(reverse("forum:post-vote", kwargs={"pk": post.pk}), data)


def votes_shown(client, post, url=None):
    """The post's score and its vote controls as the page shows them."""
    response = client.get(url or post.thread.get_forum_url())
    assert response.status_code == 200
    page = Page(response.content.decode())
    (box,) = [
        element
        for element in page.find_all("div", "votes")
        if element.nearest("article").attrs["id"] == f"post-{post.pk}"
    ]
    controls = [e for e in page.elements if e.tag in ("a", "button") and box in e.ancestors()]
    (score,) = [e for e in page.find_all("span", "score") if box in e.ancestors()]
    return page.text(score), controls


def pressed(controls):
    return {c.attrs["value"]: c.attrs["aria-pressed"] for c in controls if c.tag == "button"}


def counters(post):
    post.refresh_from_db()
    return post.upvotes, post.downvotes


@pytest.fixture
def voter(client):
    user = make_user()
    client.force_login(user)
    return user


@pytest.fixture
def post():
    return make_post(make_thread(), author=make_user(), body="Two holes, for two docking ports.")


def test_voting_up_counts_the_vote_and_shows_it_pressed(client, voter, post):
    response = vote(client, post, "up")

    assert response.status_code == 302
    assert response["Location"] == f"{post.thread.get_forum_url()}#post-{post.pk}"
    assert Vote.objects.get(post=post).value == Vote.Value.UP
    assert counters(post) == (1, 0)
    score, controls = votes_shown(client, post)
    assert score == "1 point"
    assert pressed(controls) == {"up": "true", "down": "false"}


def test_voting_the_same_way_again_takes_the_vote_back(client, voter, post):
    vote(client, post, "up")

    vote(client, post, "up")

    assert not Vote.objects.filter(post=post).exists()
    assert counters(post) == (0, 0)
    score, controls = votes_shown(client, post)
    assert score == "0 points"
    assert pressed(controls) == {"up": "false", "down": "false"}


def test_voting_down_after_up_switches_the_vote(client, voter, post):
    vote(client, post, "up")

    vote(client, post, "down")

    assert Vote.objects.get(post=post, user=voter).value == Vote.Value.DOWN
    assert counters(post) == (0, 1)
    score, controls = votes_shown(client, post)
    assert score == "-1 points"
    assert pressed(controls) == {"up": "false", "down": "true"}


def test_score_is_up_votes_minus_down_votes_of_all_readers(client, voter, post):
    for value in [Vote.Value.UP, Vote.Value.UP, Vote.Value.UP, Vote.Value.DOWN]:
        votes.cast_vote(post=post, voter=make_user(), value=value)

    score, controls = votes_shown(client, post)

    assert score == "2 points"
    assert pressed(controls) == {"up": "false", "down": "false"}
    assert counters(post) == (3, 1)


def test_voting_on_ones_own_post_is_refused_with_a_message(client, voter):
    own = make_post(make_thread(), author=voter)

    response = vote(client, own, "up")

    assert response.status_code == 403
    page = Page(response.content.decode())
    (notice,) = page.find_all("p", "notice-refused")
    assert page.text(notice) == "You cannot vote on your own comment."
    assert not Vote.objects.exists()
    assert counters(own) == (0, 0)


def test_own_posts_show_their_score_without_vote_buttons(client, voter):
    own = make_post(make_thread(), author=voter)

    score, controls = votes_shown(client, own)

    assert score == "0 points"
    assert controls == []


@pytest.mark.parametrize("status", [Status.PENDING, Status.REMOVED, Status.SPAM])
def test_voting_on_a_post_that_is_not_published_is_refused(client, voter, post, status):
    set_status(post, status)

    response = vote(client, post, "down")

    assert response.status_code == 403
    assert "Only published comments take votes." in response.content.decode()
    assert not Vote.objects.exists()
    assert counters(post) == (0, 0)


def test_banned_user_cannot_vote_and_is_told_why(client, voter, post):
    moderator = make_user(moderator=True)
    moderation.ban_user(user=voter, moderator=moderator, reason="Vote rigging")

    response = vote(client, post, "up")

    assert response.status_code == 403
    assert "You are banned for good, for this reason: Vote rigging" in response.content.decode()
    assert not Vote.objects.exists()
    assert counters(post) == (0, 0)


def lock(thread):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True, lock_reason="Cooling off.")


def test_voting_in_a_locked_discussion_is_refused_with_a_message(client, voter, post):
    lock(post.thread)

    response = vote(client, post, "up")

    assert response.status_code == 403
    page = Page(response.content.decode())
    (notice,) = page.find_all("p", "notice-refused")
    assert page.text(notice) == "This discussion is locked: its comments take no more votes."
    assert not Vote.objects.exists()
    assert counters(post) == (0, 0)


@pytest.mark.parametrize("reader", ["member", "anonymous"])
def test_a_locked_discussion_shows_scores_without_vote_controls(client, post, reader):
    votes.cast_vote(post=post, voter=make_user(), value=Vote.Value.UP)
    lock(post.thread)
    if reader == "member":
        client.force_login(make_user())

    score, controls = votes_shown(client, post)

    assert score == "1 point"
    assert controls == []


def test_a_moderator_may_still_vote_in_a_locked_discussion(client, post):
    client.force_login(make_moderator())
    lock(post.thread)

    response = vote(client, post, "down")

    assert response.status_code == 302
    assert counters(post) == (0, 1)
    _score, controls = votes_shown(client, post)
    assert pressed(controls) == {"up": "false", "down": "true"}


def test_anonymous_vote_is_sent_to_log_in_and_back_to_the_post(client, post):
    response = vote(client, post, "up")

    page_and_anchor = quote(f"{post.thread.get_forum_url()}#post-{post.pk}", safe="/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page_and_anchor}"
    assert not Vote.objects.exists()


def test_anonymous_readers_see_the_score_without_vote_controls(client, post):
    votes.cast_vote(post=post, voter=make_user(), value=Vote.Value.UP)

    score, controls = votes_shown(client, post)

    assert score == "1 point"
    assert controls == []


def test_vote_returns_to_the_page_it_was_cast_on_keeping_sort_and_page(client, voter, post):
    page = f"{post.thread.get_forum_url()}?sort=best&page=2"

    response = vote(client, post, "up", next_page=page)

    assert response["Location"] == f"{page}#post-{post.pk}"


def test_vote_never_returns_to_another_site(client, voter, post):
    response = vote(client, post, "up", next_page="https://evil.example/")

    assert response["Location"] == f"{post.get_absolute_url()}#post-{post.pk}"
    assert counters(post) == (1, 0)


def test_vote_that_is_neither_up_nor_down_is_rejected(client, voter, post):
    response = vote(client, post, "sideways")

    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_vote_is_cast_by_post_only(client, voter, post):
    response = client.get(reverse("forum:post-vote", kwargs={"pk": post.pk}), {"value": "up"})

    assert response.status_code == 405
    assert not Vote.objects.exists()


def vote_concurrently(post, voter, value, barrier, errors):
    try:
        barrier.wait()
        votes.cast_vote(post=post, voter=voter, value=value)
    except Exception as error:  # reported to the main thread, which fails the test
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_twenty_readers_voting_at_once_are_all_counted():
    post = make_post(make_thread())
    values = [Vote.Value.UP] * 13 + [Vote.Value.DOWN] * 7
    voters = [make_user() for _ in values]
    barrier, errors = threading.Barrier(len(values)), []
    threads = [
        threading.Thread(target=vote_concurrently, args=(post, user, value, barrier, errors))
        for user, value in zip(voters, values, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert counters(post) == (13, 7)
    assert Vote.objects.filter(post=post).count() == 20


def click_concurrently(client, post, value, barrier, answers):
    try:
        barrier.wait()
        answers.append(vote(client, post, value).status_code)
    except Exception as error:  # reported to the main thread, which fails the test
        answers.append(error)
    finally:
        connection.close()


def click_at_once(voter, post, values):
    """Send one request per value, all at once, as voter; return the status codes."""
    clients = [Client() for _ in values]
    for client in clients:
        client.force_login(voter)
    barrier, answers = threading.Barrier(len(values)), []
    threads = [
        threading.Thread(target=click_concurrently, args=(client, post, value, barrier, answers))
        for client, value in zip(clients, values, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
def test_one_reader_clicking_the_same_vote_twelve_times_at_once_has_each_click_taken_in_turn():
    post = make_post(make_thread(), author=make_user())
    voter = make_user()

    answers = click_at_once(voter, post, ["up"] * 12)

    assert answers == [302] * 12
    # Each click takes the vote back or casts it again: twelve leave none standing.
    assert not Vote.objects.filter(post=post).exists()
    assert counters(post) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_one_reader_switching_a_vote_from_many_requests_at_once_keeps_the_counts_true():
    post = make_post(make_thread(), author=make_user())
    voter = make_user()

    answers = click_at_once(voter, post, ["up", "down"] * 6 + ["up"])

    assert answers == [302] * 13
    standing = list(Vote.objects.filter(post=post).values_list("user", "value"))
    assert len(standing) <= 1
    ups = sum(value == Vote.Value.UP for _user, value in standing)
    assert counters(post) == (ups, len(standing) - ups)
