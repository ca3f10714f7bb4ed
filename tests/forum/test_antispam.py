import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone

from forum import antispam, moderation
from forum.models import Post
from tests.factories import make_moderator, make_post, make_thread, make_user, set_status

pytestmark = pytest.mark.django_db

Status = Post.Status


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def post_request(user=None, remote_addr="203.0.113.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().post("/forum/post/1/reply/", **extra)
    request.user = user or AnonymousUser()
    return request


def attempts(request, times):
    return [antispam.check_post_rate(request) for _ in range(times)]


# Rate limits


@pytest.mark.parametrize(("rate", "parsed"), [("5/60", (5, 60)), ("", None), ("0", None)])
def test_a_rate_reads_as_posts_per_seconds(rate, parsed):
    assert antispam.parse_rate(rate) == parsed


@override_settings(PARLEY_POST_RATE_PER_USER="2/60", PARLEY_POST_RATE_PER_IP="")
def test_a_user_over_the_rate_is_told_to_wait():
    user = make_user()
    first, second, third = attempts(post_request(user), 3)
    assert first is second is None
    assert third.startswith("You are posting too fast. Please wait ")


@override_settings(PARLEY_POST_RATE_PER_USER="1/60", PARLEY_POST_RATE_PER_IP="")
def test_a_post_taken_back_after_its_refusal_leaves_room_for_the_next():
    request = post_request(make_user())
    assert antispam.check_post_rate(request) is None
    antispam.uncount_post(request)
    assert antispam.check_post_rate(request) is None


@override_settings(PARLEY_POST_RATE_PER_USER="", PARLEY_POST_RATE_PER_IP="1/60")
def test_attempts_refused_for_the_rate_are_not_counted():
    request = post_request(make_user())
    with mock.patch.object(antispam, "time") as clock:
        clock.time.return_value = 6000.0  # the start of a window
        attempts(request, 3)
    assert cache.get("parley:post-rate:ip:203.0.113.5:60:100") == 1


@override_settings(PARLEY_POST_RATE_PER_USER="2/60", PARLEY_POST_RATE_PER_IP="")
def test_one_users_rate_does_not_hold_back_another():
    attempts(post_request(make_user()), 3)
    assert antispam.check_post_rate(post_request(make_user())) is None


@override_settings(PARLEY_POST_RATE_PER_USER="2/60", PARLEY_POST_RATE_PER_IP="")
def test_the_rate_opens_again_in_the_next_window():
    request = post_request(make_user())
    with mock.patch("forum.antispam.time.time", return_value=6000.0):
        assert attempts(request, 3)[-1] is not None
    with mock.patch("forum.antispam.time.time", return_value=6060.0):
        assert antispam.check_post_rate(request) is None


@override_settings(PARLEY_POST_RATE_PER_USER="2/60", PARLEY_POST_RATE_PER_IP="")
def test_the_message_says_how_long_to_wait():
    request = post_request(make_user())
    with mock.patch("forum.antispam.time.time", return_value=6045.0):
        assert attempts(request, 3)[-1].endswith("wait 15 seconds.")


@override_settings(PARLEY_POST_RATE_PER_USER="", PARLEY_POST_RATE_PER_IP="3/60")
def test_different_users_from_one_address_share_its_rate():
    results = [antispam.check_post_rate(post_request(make_user())) for _ in range(4)]
    assert results[:3] == [None, None, None]
    assert "network address" in results[3]
    assert antispam.check_post_rate(post_request(make_user(), "198.51.100.7")) is None


@override_settings(PARLEY_POST_RATE_PER_USER="1/60", PARLEY_POST_RATE_PER_IP="1/60")
def test_moderators_are_not_rate_limited():
    assert attempts(post_request(make_moderator()), 3) == [None, None, None]


def test_rate_counts_live_in_the_shared_cache(redis_url):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"parley-test-{uuid.uuid4().hex}",
        }
    }
    user = make_user()
    with override_settings(
        CACHES=caches, PARLEY_POST_RATE_PER_USER="2/60", PARLEY_POST_RATE_PER_IP=""
    ):
        attempts(post_request(user), 2)
        # A second worker has its own connection, yet sees the same count.
        from django.core.cache import caches as connections

        connections.close_all()
        del connections["default"]
        assert antispam.check_post_rate(post_request(user)) is not None


# The client's address


def test_without_trusted_proxies_the_address_is_remote_addr():
    request = post_request(remote_addr="203.0.113.5", forwarded="198.51.100.1")
    assert antispam.client_ip(request) == "203.0.113.5"


@override_settings(PARLEY_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_is_the_last_forwarded_one():
    request = post_request(remote_addr="10.0.0.2", forwarded="6.6.6.6, 198.51.100.1")
    assert antispam.client_ip(request) == "198.51.100.1"


@override_settings(PARLEY_TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_address_is_the_second_from_the_right():
    request = post_request(remote_addr="10.0.0.2", forwarded="6.6.6.6, 198.51.100.1, 10.0.0.1")
    assert antispam.client_ip(request) == "198.51.100.1"


@override_settings(PARLEY_TRUSTED_PROXY_COUNT=2)
def test_too_few_forwarded_addresses_fall_back_to_remote_addr():
    request = post_request(remote_addr="10.0.0.2", forwarded="198.51.100.1")
    assert antispam.client_ip(request) == "10.0.0.2"


@override_settings(PARLEY_TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_value_that_is_no_address_is_ignored():
    request = post_request(remote_addr="10.0.0.2", forwarded="not-an-address")
    assert antispam.client_ip(request) == "10.0.0.2"


@override_settings(
    PARLEY_TRUSTED_PROXY_COUNT=1, PARLEY_POST_RATE_PER_USER="", PARLEY_POST_RATE_PER_IP="1/60"
)
def test_a_spoofed_forwarded_header_does_not_escape_the_rate():
    first = post_request(remote_addr="10.0.0.2", forwarded="1.1.1.1, 198.51.100.1")
    again = post_request(remote_addr="10.0.0.2", forwarded="2.2.2.2, 198.51.100.1")
    assert antispam.check_post_rate(first) is None
    assert antispam.check_post_rate(again) is not None


# The honeypot


class ReplyForm(antispam.HoneypotFormMixin, forms.Form):
    body = forms.CharField()


def test_a_filled_honeypot_refuses_the_form_and_keeps_the_text():
    form = ReplyForm({"body": "My careful reply.", "website": "http://spam.example"})
    assert not form.is_valid()
    assert "hidden field was filled in" in form.errors["website"][0]
    assert form["body"].value() == "My careful reply."
    assert antispam.check_honeypot(form) == form.errors["website"][0]


def test_an_empty_honeypot_lets_the_form_through():
    form = ReplyForm({"body": "My careful reply.", "website": ""})
    assert form.is_valid()
    assert antispam.check_honeypot(form) is None


def test_the_honeypot_is_out_of_the_way_of_people():
    html = str(ReplyForm()["website"])
    assert 'class="honeypot"' in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert ReplyForm()["website"].label == "Leave this empty"


# Links in a new account's posts


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ("No links at all.", 0),
        ("See [the source](https://example.com/a).", 1),
        ("<https://example.com/a> and http://example.org/b", 2),
        ("[https://example.com](https://example.com)", 1),
        ("![pic](https://example.com/p.png)", 1),
        ("[ref][1]\n\n[1]: https://example.com", 1),
        ("Bare https://a.example, http://b.example and `http://c.example`", 3),
        ("```\nhttp://a.example\n```", 1),
        ("mail <someone@example.com>", 1),
    ],
)
def test_links_are_counted_in_every_markdown_form(body, links):
    assert antispam.count_links(body) == links


LINKY = "Read https://a.example, https://b.example and https://c.example"


def test_a_new_account_may_not_post_more_links_than_allowed():
    message = antispam.too_many_links(LINKY, make_user())
    assert message.startswith("New accounts may post at most 2 links")
    assert "this comment has 3" in message


def test_a_new_account_may_post_up_to_the_limit():
    assert antispam.too_many_links("https://a.example https://b.example", make_user()) is None


def test_an_established_account_may_post_many_links():
    user = make_user()
    user.date_joined = timezone.now() - timedelta(days=4)
    user.save()
    assert antispam.too_many_links(LINKY, user) is None


@override_settings(PARLEY_NEW_ACCOUNT_MAX_LINKS=5, PARLEY_NEW_ACCOUNT_DAYS=1)
def test_the_link_limit_follows_the_settings():
    old = make_user()
    old.date_joined = timezone.now() - timedelta(days=2)
    old.save()
    assert antispam.too_many_links(LINKY, make_user()) is None
    assert antispam.too_many_links(LINKY * 2, old) is None
    assert antispam.too_many_links(LINKY * 2, make_user()) is not None


# The status a new post starts with


def test_a_post_is_published_at_once_by_default():
    assert antispam.initial_status_for(make_user(), make_thread()) == Status.PUBLISHED


def test_in_a_premoderated_thread_a_post_waits_for_a_moderator():
    thread = make_thread(is_premoderated=True)
    assert antispam.initial_status_for(make_user(), thread) == Status.PENDING


def test_a_moderators_post_is_never_held():
    thread = make_thread(is_premoderated=True)
    assert antispam.initial_status_for(make_moderator(), thread) == Status.PUBLISHED


@override_settings(PARLEY_PREMODERATE_FIRST_POSTS=2)
def test_a_new_accounts_first_posts_wait_until_enough_are_approved():
    thread, user = make_thread(), make_user()
    make_post(thread, author=user, status=Status.PENDING)
    make_post(thread, author=user)
    assert antispam.initial_status_for(user, thread) == Status.PENDING
    make_post(thread, author=user)
    assert antispam.initial_status_for(user, thread) == Status.PUBLISHED


# Who may post


def test_a_banned_user_is_told_the_reason_and_that_it_is_for_good():
    user = make_user()
    moderation.ban_user(user=user, moderator=make_moderator(), reason="Repeated insults.")
    message = antispam.posting_refusal(user, make_thread())
    assert message == "You are banned for good, for this reason: Repeated insults."


def test_a_banned_user_is_told_until_when():
    user = make_user()
    until = timezone.now() + timedelta(days=3)
    moderation.ban_user(user=user, moderator=make_moderator(), reason="Cool off.", until=until)
    message = antispam.posting_refusal(user, make_thread())
    assert message.startswith("You are banned until ")
    assert str(timezone.localtime(until).year) in message and message.endswith("Cool off.")


def test_a_locked_thread_refuses_posts_and_says_why():
    thread = make_thread(is_locked=True, lock_reason="Flame war.")
    assert antispam.posting_refusal(make_user(), thread) == "This discussion is locked: Flame war."


def test_a_moderator_may_still_post_in_a_locked_thread():
    thread = make_thread(is_locked=True)
    assert antispam.posting_refusal(make_moderator(), thread) is None


def test_a_banned_moderator_may_not_post():
    banned = make_moderator()
    moderation.ban_user(user=banned, moderator=make_moderator(), reason="Abuse of power.")
    assert antispam.posting_refusal(banned, make_thread()) is not None


def test_a_user_in_good_standing_may_post():
    user = make_user()
    set_status(make_post(make_thread(), author=user), Status.REMOVED)
    assert antispam.posting_refusal(user, make_thread()) is None
