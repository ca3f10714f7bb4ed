import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import resolve, reverse

from accounts.views import PasswordResetView
from tests.factories import make_article, make_thread, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery staple"  # the factories' default
NEW_PASSWORD = "a fresh tangerine kite"


def signup_data(**fields):
    return {
        "username": "alice",
        "email": "alice@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def profile_url(user):
    return reverse("accounts:profile", kwargs={"username": user.username})


# Sign up


def test_signup_stores_the_user_logs_them_in_and_goes_home(client):
    response = client.post(reverse("accounts:signup"), signup_data())

    assert response.status_code == 302
    assert response.url == "/"
    user = User.objects.get(username="alice")
    assert user.email == "alice@example.com"
    assert user.check_password(PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)
    assert "Signed in as" in client.get(profile_url(user)).content.decode()


def test_signup_without_email_is_accepted(client):
    client.post(reverse("accounts:signup"), signup_data(email=""))

    assert User.objects.get(username="alice").email == ""


def test_signup_returns_to_a_safe_next(client):
    response = client.post(reverse("accounts:signup"), signup_data(next="/forum/post/7/reply/"))

    assert response.url == "/forum/post/7/reply/"


@pytest.mark.parametrize("next_url", ["abc", "post-1", "x#y", "forum/"])
def test_signup_with_a_next_that_is_not_a_path_goes_home_with_the_account_made(client, next_url):
    response = client.post(reverse("accounts:signup"), signup_data(next=next_url))

    assert response.status_code == 302
    assert response.url == "/"
    user = User.objects.get(username="alice")
    assert logged_in_user_id(client) == str(user.pk)


def test_signup_with_a_next_that_is_not_a_path_keeps_no_next_in_the_form(client):
    response = client.get(reverse("accounts:signup"), {"next": "abc"})

    assert response.status_code == 200
    assert 'name="next"' not in response.content.decode()


def test_a_signed_in_reader_on_signup_with_a_next_that_is_not_a_path_goes_home(client):
    client.force_login(make_user("bob"))

    response = client.get(reverse("accounts:signup"), {"next": "post-1"})

    assert response.status_code == 302
    assert response.url == "/"


def test_signup_ignores_a_next_on_another_site(client):
    response = client.post(reverse("accounts:signup"), signup_data(next="http://evil.example/"))

    assert response.url == "/"
    assert User.objects.filter(username="alice").exists()


def test_signup_refuses_a_weak_password_and_keeps_the_username(client):
    response = client.post(
        reverse("accounts:signup"), signup_data(password1="password", password2="password")
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "This password is too common." in content
    assert 'value="alice"' in content
    assert not User.objects.filter(username="alice").exists()
    assert logged_in_user_id(client) is None


def test_signup_refuses_a_username_taken_in_another_case(client):
    make_user("Alice")

    response = client.post(reverse("accounts:signup"), signup_data())

    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(username__iexact="alice").count() == 1


@pytest.mark.parametrize("username", ["login", "signup", "password_reset", ".."])
def test_signup_refuses_a_username_whose_profile_address_would_not_reach_it(client, username):
    response = client.post(reverse("accounts:signup"), signup_data(username=username))

    assert "This username is reserved." in response.content.decode()
    assert not User.objects.filter(username=username).exists()


@pytest.mark.parametrize("username", ["a/b", "/", "a/", "%2F", "a b"])
def test_signup_refuses_a_username_with_characters_a_username_may_not_hold(client, username):
    response = client.post(reverse("accounts:signup"), signup_data(username=username))

    assert response.status_code == 200
    assert "Enter a valid username." in response.content.decode()
    assert not User.objects.exists()
    assert logged_in_user_id(client) is None


def test_signup_keeps_next_in_the_form_after_a_refusal(client):
    response = client.post(
        reverse("accounts:signup"), signup_data(password2="different", next="/forum/")
    )

    assert '<input type="hidden" name="next" value="/forum/">' in response.content.decode()


# Log in and log out


def test_login_returns_to_next(client):
    user = make_user("bob")

    response = client.post(
        reverse("login"), {"username": "bob", "password": PASSWORD, "next": "/forum/post/3/"}
    )

    assert response.url == "/forum/post/3/"
    assert logged_in_user_id(client) == str(user.pk)


def test_login_ignores_a_next_on_another_site(client):
    make_user("bob")

    response = client.post(
        reverse("login"),
        {"username": "bob", "password": PASSWORD, "next": "http://evil.example/"},
    )

    assert response.url == "/"


def test_login_with_a_wrong_password_is_refused_and_keeps_the_username(client):
    make_user("bob")

    response = client.post(reverse("login"), {"username": "bob", "password": "wrong"})

    content = response.content.decode()
    assert "Please enter a correct username and password." in content
    assert 'value="bob"' in content
    assert logged_in_user_id(client) is None


def test_the_login_link_brings_the_reader_back_to_the_page_they_were_on(client):
    make_user("carol")
    page = profile_url(make_user("bob")) + "?page=1"

    login_link = re.search(r'href="(/accounts/login/\?next=[^"]+)"', client.get(page).text)
    login_page = client.get(login_link.group(1)).text
    hidden_next = re.search(r'name="next" value="([^"]+)"', login_page).group(1)
    response = client.post(
        reverse("login"), {"username": "carol", "password": PASSWORD, "next": hidden_next}
    )

    assert response.url == page


def test_a_signed_in_reader_sees_their_name_and_a_log_out_button(client):
    user = make_user("bob")
    client.force_login(user)

    content = client.get(profile_url(user)).content.decode()

    assert f'Signed in as <a href="{profile_url(user)}">bob</a>' in content
    assert f'<form method="post" action="{reverse("logout")}"' in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_only_staff_see_the_admin_link(client):
    member, staff = make_user("bob"), make_user("carol")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    admin_link = f'<a href="{reverse("admin:index")}">Admin</a>'

    client.force_login(member)
    assert admin_link not in client.get(profile_url(member)).content.decode()
    client.force_login(staff)
    assert admin_link in client.get(profile_url(member)).content.decode()


def test_logout_by_post_logs_out_and_returns_to_next(client):
    client.force_login(make_user("bob"))

    response = client.post(reverse("logout"), {"next": "/forum/"})

    assert response.url == "/forum/"
    assert logged_in_user_id(client) is None


def test_logout_by_get_is_refused_and_keeps_the_session(client):
    user = make_user("bob")
    client.force_login(user)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(user.pk)


# Passwords


def test_password_change_sets_the_new_password_and_keeps_the_user_logged_in(client):
    user = make_user("bob")
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert "Your password was changed." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)


def test_password_change_with_a_wrong_old_password_changes_nothing(client):
    user = make_user("bob")
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "Your old password was entered incorrectly." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@override_settings(PARLEY_SITE_URL="https://news.example")
def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = make_user("bob")
    User.objects.filter(pk=user.pk).update(email="bob@example.com")

    response = client.post(reverse("password_reset"), {"email": "bob@example.com"}, follow=True)

    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bob@example.com"]
    link = re.search(r"https://news\.example(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your new password is set." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


@override_settings(ALLOWED_HOSTS=["*"], PARLEY_SITE_URL="https://news.example")
def test_password_reset_mail_never_writes_the_requests_host(client):
    user = make_user("bob")
    User.objects.filter(pk=user.pk).update(email="bob@example.com")

    response = client.post(
        reverse("password_reset"), {"email": "bob@example.com"}, HTTP_HOST="evil.example"
    )

    assert response.status_code == 302
    (sent,) = mail.outbox
    assert sent.subject == "Reset your password on news.example"
    assert 'the account "bob" on news.example.' in sent.body
    assert re.search(r"^https://news\.example/accounts/reset/\S+/$", sent.body, re.MULTILINE)
    assert "evil.example" not in sent.subject + sent.body


def test_the_password_reset_address_is_served_by_parleys_view():
    assert resolve(reverse("password_reset")).func.view_class is PasswordResetView


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_used_password_reset_link_is_refused(client):
    make_user("bob")
    User.objects.filter(username="bob").update(email="bob@example.com")
    client.post(reverse("password_reset"), {"email": "bob@example.com"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assert "This password reset link is invalid" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "logged_in"),
    [
        ("accounts:signup", False),
        ("login", False),
        ("password_reset", False),
        ("password_change", True),
    ],
)
def test_every_account_form_carries_a_csrf_token(client, url_name, logged_in):
    if logged_in:
        client.force_login(make_user())

    response = client.get(reverse(url_name))

    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_signup_refuses_a_filled_honeypot_and_creates_no_account(client):
    response = client.post(reverse("accounts:signup"), signup_data(website="http://spam.example"))

    assert response.status_code == 200
    assert "looked automated" in response.content.decode()
    assert not User.objects.filter(username="alice").exists()


# Messages after logging in and out


def messages_on(page_html):
    return re.findall(r'<li class="message message-success">([^<]*)</li>', page_html)


def test_logging_in_says_so_on_the_next_page(client):
    make_user("kirk")
    response = client.post(reverse("login"), {"username": "kirk", "password": PASSWORD})

    assert response.status_code == 302
    assert messages_on(client.get(response.url).content.decode()) == ["You are logged in as kirk."]
    assert logged_in_user_id(client) is not None


def test_logging_out_says_so_once_and_that_page_is_never_shared(client):
    article = make_article("On orbit")
    make_thread(article=article)
    anyone = Client()
    anyone.get(article.get_absolute_url())  # the anonymous page, kept whole for everyone
    client.force_login(make_user("kirk"))

    response = client.post(reverse("logout"), {"next": article.get_absolute_url()})
    page = client.get(response.url)

    assert messages_on(page.content.decode()) == ["You are logged out."]
    assert "private" in page["Cache-Control"]
    assert logged_in_user_id(client) is None
    for reader in (anyone, Client(), client):  # nobody else, nor a second look, sees it
        assert "You are logged out." not in reader.get(article.get_absolute_url()).content.decode()
