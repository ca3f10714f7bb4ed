"""A username that looks like another account's, or mixes alphabets in a word, is refused."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import forms
from accounts.models import UsernameLook, username_looks
from tests.factories import make_user

pytestmark = pytest.mark.django_db

USERA_IN_CYRILLIC_E = "us\N{CYRILLIC SMALL LETTER IE}ra"
ADMIN_IN_CYRILLIC_A = "\N{CYRILLIC SMALL LETTER A}dmin"
BIO_IN_CYRILLIC = (
    "\N{CYRILLIC CAPITAL LETTER VE}\N{CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I}"
    "\N{CYRILLIC CAPITAL LETTER O}"
)

User = get_user_model()
PASSWORD = "correct horse battery staple"
LOOKS_TAKEN = "This username looks too much like an existing one."
MIXES_SCRIPTS = "Each word of a username must use one alphabet"


def sign_up(client, username):
    return client.post(
        reverse("accounts:signup"),
        {"username": username, "password1": PASSWORD, "password2": PASSWORD},
    )


def stored_looks(username):
    return set(
        UsernameLook.objects.filter(user__username=username).values_list("digest", flat=True)
    )


def make_superuser(username="root"):
    user = make_user(username)
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("existing", "newcomer"),
    [
        ("usera", USERA_IN_CYRILLIC_E),
        ("admin", ADMIN_IN_CYRILLIC_A),
        ("admin", "\N{CYRILLIC CAPITAL LETTER A}DMIN"),
        ("paypal", "PayPaI"),  # capital I
        ("bio", BIO_IN_CYRILLIC),
        (BIO_IN_CYRILLIC, "bio"),
    ],
)
def test_signup_refuses_a_name_that_looks_like_an_existing_one(client, existing, newcomer):
    make_user(existing)

    response = sign_up(client, newcomer)

    assert response.status_code == 200
    assert LOOKS_TAKEN in response.content.decode()
    assert list(User.objects.values_list("username", flat=True)) == [existing]
    assert "_auth_user_id" not in client.session


def test_signup_refuses_a_word_mixing_alphabets_even_if_no_account_looks_like_it(client):
    response = sign_up(client, "p\N{CYRILLIC SMALL LETTER A}ypal")

    assert MIXES_SCRIPTS in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["Алиса", "東京タワー", "ivan_иван"])
def test_signup_accepts_a_name_whose_every_word_is_in_one_script(client, username):
    response = sign_up(client, username)

    assert response.status_code == 302
    assert User.objects.filter(username=username).exists()
    assert stored_looks(username) == username_looks(username)


def test_every_new_account_stores_how_its_name_looks(client):
    sign_up(client, "alice")

    assert stored_looks("alice") == username_looks("alice")
    assert not UsernameLook.objects.filter(predates_check=True).exists()


def test_two_look_alike_accounts_cannot_both_be_stored():
    make_user("usera")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(USERA_IN_CYRILLIC_E)
    assert list(User.objects.values_list("username", flat=True)) == ["usera"]


def test_a_signup_that_loses_the_race_for_a_look_gets_a_form_error(client, monkeypatch):
    make_user("usera")
    # The check passed because the other sign-up had not committed yet when it ran.
    monkeypatch.setattr(forms, "validate_new_username", lambda username: None)

    response = sign_up(client, USERA_IN_CYRILLIC_E)

    assert response.status_code == 200
    assert LOOKS_TAKEN in response.content.decode()
    assert list(User.objects.values_list("username", flat=True)) == ["usera"]
    assert "_auth_user_id" not in client.session


def test_renaming_an_account_stores_how_its_new_name_looks():
    user = make_user("alice")

    user.username = "alicia"
    user.save()

    assert stored_looks("alicia") == username_looks("alicia")


# The admin


def test_the_admin_cannot_create_a_look_alike_account(client):
    make_user("usera")
    client.force_login(make_superuser())

    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": USERA_IN_CYRILLIC_E,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert LOOKS_TAKEN in response.content.decode()
    assert not User.objects.filter(username=USERA_IN_CYRILLIC_E).exists()


def test_an_account_the_admin_creates_stores_how_its_name_looks(client):
    client.force_login(make_superuser())

    client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "carol",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert stored_looks("carol") == username_looks("carol")


def change_user(client, user, **fields):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **fields,
    }
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), data)


def test_the_admin_cannot_rename_an_account_to_look_like_another(client):
    make_user("usera")
    bob = make_user("bob")
    client.force_login(make_superuser())

    response = change_user(client, bob, username=USERA_IN_CYRILLIC_E)

    assert LOOKS_TAKEN in response.content.decode()
    bob.refresh_from_db()
    assert bob.username == "bob"
    assert stored_looks("bob") == username_looks("bob")


def test_the_admin_can_edit_an_account_whose_name_predates_the_check(client):
    make_user("usera")
    older_lookalike = make_user("userb")
    # As the data migration leaves the later of two existing look-alikes.
    User.objects.filter(pk=older_lookalike.pk).update(username=USERA_IN_CYRILLIC_E)
    UsernameLook.objects.filter(user=older_lookalike).delete()
    UsernameLook.objects.bulk_create(
        UsernameLook(user=older_lookalike, digest=digest, predates_check=True)
        for digest in username_looks(USERA_IN_CYRILLIC_E)
    )
    older_lookalike.refresh_from_db()
    client.force_login(make_superuser())

    response = change_user(client, older_lookalike, email="new@example.com")

    assert response.status_code == 302
    older_lookalike.refresh_from_db()
    assert older_lookalike.email == "new@example.com"
    assert stored_looks(USERA_IN_CYRILLIC_E) == username_looks(USERA_IN_CYRILLIC_E)
    assert all(
        UsernameLook.objects.filter(user=older_lookalike).values_list("predates_check", flat=True)
    )


# Commands


def test_createsuperuser_refuses_a_name_that_looks_like_an_existing_one():
    make_user("admin")

    with pytest.raises(CommandError, match="looks too much like an existing one"):
        call_command(
            "createsuperuser",
            "--noinput",
            username=ADMIN_IN_CYRILLIC_A,
            email="",
            stdout=StringIO(),
        )
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]


def test_createsuperuser_stores_how_the_new_account_s_name_looks():
    call_command("createsuperuser", "--noinput", username="chief", email="", stdout=StringIO())

    assert stored_looks("chief") == username_looks("chief")


def test_ensure_admin_refuses_when_an_ordinary_account_looks_like_admin():
    make_user(ADMIN_IN_CYRILLIC_A)

    with pytest.raises(CommandError, match="createsuperuser"):
        call_command("ensure_admin", stdout=StringIO())
    assert not User.objects.filter(is_superuser=True).exists()


def test_ensure_admin_stores_how_the_admin_s_name_looks():
    call_command("ensure_admin", stdout=StringIO())

    assert stored_looks("admin") == username_looks("admin")


# The data migration


def test_the_migration_stores_how_existing_names_look_and_the_older_look_alike_wins():
    first, second, other = make_user("usera"), make_user("userb"), make_user("carol")
    UsernameLook.objects.all().delete()
    User.objects.filter(pk=second.pk).update(
        username=USERA_IN_CYRILLIC_E
    )  # made before the check existed
    migration = importlib.import_module("accounts.migrations.0002_record_existing_looks")

    migration.record_existing_looks(apps, schema_editor=None)

    def flags(user):
        return set(UsernameLook.objects.filter(user=user).values_list("digest", "predates_check"))

    assert flags(first) == {(digest, False) for digest in username_looks("usera")}
    assert flags(second) == {(digest, True) for digest in username_looks(USERA_IN_CYRILLIC_E)}
    assert flags(other) == {(digest, False) for digest in username_looks("carol")}
