"""Password-reset mail is limited per email address and per client address, in the database."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import F
from django.test import override_settings
from django.urls import reverse

from accounts.models import PasswordResetRequest
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HOME, AWAY = "198.51.100.7", "203.0.113.9"
PER_EMAIL, PER_IP = 3, 10  # the defaults of PARLEY_PASSWORD_RESETS_PER_EMAIL and _PER_IP
TOO_MANY_FOR_EMAIL = "You have already asked for several password-reset emails for this address."
TOO_MANY_FROM_IP = "Too many password-reset requests have come from your network address."
BROKEN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}


@pytest.fixture
def bob():
    user = make_user("bob")
    get_user_model().objects.filter(pk=user.pk).update(email="bob@example.com")
    return user


def ask_for_reset(client, email, address=HOME):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_a_fourth_reset_mail_for_one_address_within_the_hour_is_refused(client, bob):
    for _ in range(PER_EMAIL):
        assert ask_for_reset(client, "bob@example.com").status_code == 302

    response = ask_for_reset(client, "bob@example.com", address=AWAY)

    assert response.status_code == 429
    content = response.content.decode()
    assert TOO_MANY_FOR_EMAIL in content
    assert "ask again in 60 minutes" in content
    assert len(mail.outbox) == PER_EMAIL
    assert PasswordResetRequest.objects.count() == PER_EMAIL


def test_the_limit_for_an_address_ignores_letter_case_and_spaces(client, bob):
    for _ in range(PER_EMAIL):
        ask_for_reset(client, "bob@example.com")

    response = ask_for_reset(client, " BOB@Example.com ")

    assert response.status_code == 429
    assert len(mail.outbox) == PER_EMAIL


def test_an_address_without_an_account_gets_the_same_answers(client, bob):
    for _ in range(PER_EMAIL):
        ask_for_reset(client, "bob@example.com")
        ask_for_reset(client, "nobody@example.com", address=AWAY)

    with_account = ask_for_reset(client, "bob@example.com")
    without_account = ask_for_reset(client, "nobody@example.com", address=AWAY)

    assert with_account.status_code == without_account.status_code == 429
    refusal = with_account.context["form"].non_field_errors()
    assert refusal == without_account.context["form"].non_field_errors()
    assert TOO_MANY_FOR_EMAIL in str(refusal)
    assert [message.to for message in mail.outbox] == [["bob@example.com"]] * PER_EMAIL


def test_an_eleventh_request_from_one_client_within_the_hour_is_refused(client, bob):
    for n in range(PER_IP):
        assert ask_for_reset(client, f"someone{n}@example.com").status_code == 302

    refused = ask_for_reset(client, "bob@example.com")
    elsewhere = ask_for_reset(client, "bob@example.com", address=AWAY)

    assert refused.status_code == 429
    assert TOO_MANY_FROM_IP in refused.content.decode()
    assert elsewhere.status_code == 302
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]


def test_the_limit_lifts_once_the_hour_has_passed(client, bob):
    for _ in range(PER_EMAIL):
        ask_for_reset(client, "bob@example.com")
    PasswordResetRequest.objects.update(requested_at=F("requested_at") - timedelta(minutes=61))

    response = ask_for_reset(client, "bob@example.com")

    assert response.status_code == 302
    assert len(mail.outbox) == PER_EMAIL + 1
    assert PasswordResetRequest.objects.count() == 1  # the hour-old requests are forgotten


@override_settings(CACHES=BROKEN_CACHE)
def test_the_limit_holds_while_the_cache_is_down(client, bob):
    for _ in range(PER_EMAIL):
        ask_for_reset(client, "bob@example.com")

    response = ask_for_reset(client, "bob@example.com")

    assert response.status_code == 429
    assert len(mail.outbox) == PER_EMAIL


def test_no_email_address_is_stored_in_the_clear(client, bob):
    ask_for_reset(client, "bob@example.com")

    stored = PasswordResetRequest.objects.get()
    assert "bob" not in stored.email_digest
    assert stored.ip_address == HOME
