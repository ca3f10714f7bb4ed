"""Login throttling: failures count per account and per address, in the database."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F, Sum
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' default
LIMIT = 10  # settings.AXES_FAILURE_LIMIT
HOME, AWAY = "198.51.100.7", "203.0.113.9"
BROKEN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}


def log_in(client, username, password, address=HOME, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, username, times=1, address=HOME, **headers):
    for _ in range(times):
        response = log_in(client, username, "wrong password", address, **headers)
    return response


def failures(**who):
    return AccessAttempt.objects.filter(**who).aggregate(total=Sum("failures_since_start"))[
        "total"
    ]


def is_logged_in(client):
    return "_auth_user_id" in client.session


def assert_locked_out(response):
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    content = response.content.decode()
    assert "Too many failed attempts" in content
    assert "Please try again in 15 minutes." in content


def test_the_account_is_locked_after_ten_failures_even_from_another_address(client):
    make_user("bob")
    assert fail(client, "bob", LIMIT - 1).status_code == 200

    assert_locked_out(fail(client, "bob"))
    response = log_in(client, "bob", PASSWORD, address=AWAY)

    assert_locked_out(response)
    assert not is_logged_in(client)
    assert failures(username="bob") == LIMIT


def test_the_address_is_locked_after_ten_failures_on_any_accounts(client):
    make_user("carol")
    for n in range(LIMIT):
        fail(client, f"victim{n}")

    locked = log_in(client, "carol", PASSWORD)
    elsewhere = log_in(client, "carol", PASSWORD, address=AWAY)

    assert_locked_out(locked)
    assert elsewhere.status_code == 302
    assert failures(ip_address=HOME) == LIMIT


def test_the_lockout_ends_after_the_cool_off(client):
    make_user("bob")
    fail(client, "bob", LIMIT)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    response = log_in(client, "bob", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_attempts_during_a_lockout_neither_count_nor_extend_it(client):
    make_user("bob")
    fail(client, "bob", LIMIT)
    locked_at = AccessAttempt.objects.get().attempt_time

    assert_locked_out(log_in(client, "bob", "wrong password"))
    assert_locked_out(log_in(client, "bob", PASSWORD))

    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == LIMIT
    assert attempt.attempt_time == locked_at


def test_a_successful_login_clears_the_account_s_failures(client):
    make_user("bob")
    fail(client, "bob", LIMIT - 1)

    assert log_in(client, "bob", PASSWORD).status_code == 302
    client.logout()
    fail(client, "bob", LIMIT - 1)

    assert failures(username="bob") == LIMIT - 1
    assert log_in(client, "bob", PASSWORD).status_code == 302


def test_logging_into_one_s_own_account_keeps_the_address_s_failures(client):
    make_user("mallory")
    for n in range(LIMIT - 1):
        fail(client, f"victim{n}")

    assert log_in(client, "mallory", PASSWORD).status_code == 302
    client.logout()
    response = log_in(client, "victim0", "another guess")

    assert_locked_out(response)
    assert failures(ip_address=HOME) == LIMIT


@override_settings(CACHES=BROKEN_CACHE)
def test_throttling_holds_while_the_cache_is_down(client):
    make_user("bob")
    fail(client, "bob", LIMIT)

    response = log_in(client, "bob", PASSWORD, address=AWAY)

    assert_locked_out(response)
    assert not is_logged_in(client)


@override_settings(PARLEY_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_address_is_throttled(client):
    make_user("carol")
    for n in range(LIMIT):
        fail(client, f"victim{n}", address="10.0.0.1", HTTP_X_FORWARDED_FOR=HOME)

    locked = log_in(client, "carol", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR=HOME)
    neighbour = log_in(client, "carol", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR=AWAY)

    assert_locked_out(locked)
    assert neighbour.status_code == 302
    assert failures(ip_address=HOME) == LIMIT
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.1").exists()


def test_a_wrong_password_below_the_limit_keeps_the_usual_login_page(client):
    make_user("bob")

    response = log_in(client, "bob", "wrong password")

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert failures(username="bob") == 1


def test_a_guess_with_a_name_longer_than_any_account_is_refused_and_counted(client):
    response = fail(client, "x" * 10_000)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    stored = AccessAttempt.objects.get(ip_address=HOME)
    assert stored.failures_since_start == 1
    assert stored.username == "x" * AccessAttempt._meta.get_field("username").max_length
