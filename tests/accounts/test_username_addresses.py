"""Every username that sign-up accepts has a profile address that leads to its profile."""

from urllib.parse import unquote

import pytest
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import SignupForm

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
# Characters that mean something in a URL or a path, besides any other character at all.
url_characters = st.sampled_from(list("/.%?#&=;@+-_~ \\\x00"))
# Not lone surrogates: a request body decoded as UTF-8 never holds one.
any_character = st.characters(exclude_categories=["Cs"])
usernames = st.text(alphabet=st.one_of(url_characters, any_character), min_size=1, max_size=12)


@settings(
    max_examples=300,
    deadline=None,
    # Validating a form only reads the database, so examples can share the test's transaction.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(username=usernames)
def test_every_username_signup_accepts_reverses_to_its_own_profile(username):
    form = SignupForm({"username": username, "password1": PASSWORD, "password2": PASSWORD})

    form.is_valid()

    if "username" not in form.errors:
        accepted = form.cleaned_data["username"]
        path = reverse("accounts:profile", kwargs={"username": accepted})
        match = resolve(unquote(path))
        assert match.view_name == "accounts:profile"
        assert match.kwargs == {"username": accepted}
