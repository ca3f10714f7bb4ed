"""@username in a post links to that account's profile, outside code, for registered names only."""

import pytest

from forum.markdown import render_markdown, sanitize_html
from forum.mentions import mentioned_users
from tests.factories import make_post, make_thread, make_user

pytestmark = pytest.mark.django_db


def test_a_posted_mention_links_to_the_profile_of_a_registered_user_only():
    make_user("Bob.Smith")
    author = make_user("alice")
    post = make_post(make_thread(), author=author, body="Thanks @bob.smith, and @nobody.")
    assert '<a href="/accounts/Bob.Smith/" rel="nofollow ugc noopener">@bob.smith</a>,' in (
        post.body_html
    )
    assert "@nobody." in post.body_html
    assert post.body_html.count("<a ") == 1


def test_a_mention_in_code_or_a_link_or_an_address_is_text():
    make_user("bob")
    html = render_markdown(
        "`@bob` and\n\n    @bob\n\n[@bob](https://example.org) mail me@bob.org",
        link_mentions=True,
    )
    assert "/accounts/bob/" not in html
    assert [user.username for user in mentioned_users("`@bob` me@bob.org")] == []


def test_an_imported_post_links_no_mentions():
    make_user("bob")
    post = make_post(make_thread(), author_name="Someone", body="Hi @bob")
    assert "<a " not in post.body_html


def test_the_sanitiser_keeps_profile_paths_and_drops_other_relative_links():
    html = sanitize_html(
        '<a href="/accounts/bob/">a</a><a href="/admin/">b</a>'
        '<a href="//evil.example/accounts/bob/">c</a><a href="/accounts/bob/../../x">d</a>'
    )
    assert html.count('href="/accounts/bob/"') == 1
    assert html.count("href=") == 1
