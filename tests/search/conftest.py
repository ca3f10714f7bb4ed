import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.html import strip_tags

from search import query, services
from tests.factories import make_post, make_thread


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run writes as committed ones: the receivers of forum.events.written hear of them."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def find():
    """The texts of what a reader finds for a query (anonymous unless a user is given)."""

    def run(raw, *, user=None, **filters):
        page = services.search(user=user or AnonymousUser(), query=query.parse(raw), **filters)
        return [strip_tags(result.excerpt) for result in page.results]

    return run


@pytest.fixture
def discussion(committed):
    """A discussion and a way to add posts to it that the index hears of."""
    with committed():
        thread = make_thread("General chat")

    def post(body, **fields):
        with committed():
            return make_post(thread, body=body, **fields)

    post.thread = thread
    return post
