"""Forms that send their user back to "next" go only to a path on this site, whatever is sent."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from forum import moderation
from forum.models import Ban, Flag, ModerationRecord, Post, Thread, Vote
from forum.next_page import next_page
from tests.factories import make_moderator, make_post, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

Action = ModerationRecord.Action
Status = Post.Status

# Bare words and fragments were once looked up as URL names (a 500); the rest lead off the site.
NOT_A_PATH_HERE = [
    "abc",
    "post-1",
    "x#y",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("sent", NOT_A_PATH_HERE)
def test_next_page_is_the_default_unless_next_is_a_path_on_this_site(rf, sent):
    request = rf.post("/forum/post/1/vote/", {"next": sent})

    assert next_page(request, "/forum/") == "/forum/"


@pytest.mark.parametrize("sent", ["/forum/", "/forum/orbit/?sort=best&page=2#post-3"])
def test_next_page_is_next_when_it_is_a_path_on_this_site(rf, sent):
    request = rf.get("/moderation/post/1/remove/", {"next": sent})

    assert next_page(request, "/forum/") == sent


@pytest.fixture
def thread():
    return make_thread("Orbital stations")


@pytest.fixture
def post(thread):
    return make_post(thread, author=make_user("kirk"), body="Which one did I miss?")


@pytest.mark.parametrize("sent", NOT_A_PATH_HERE)
def test_a_vote_sent_with_a_next_that_is_no_path_here_returns_to_the_post(client, post, sent):
    voter = make_user()
    client.force_login(voter)

    response = client.post(
        reverse("forum:post-vote", args=[post.pk]), {"value": "up", "next": sent}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#post-{post.pk}"
    assert Vote.objects.get(post=post).user == voter


@pytest.mark.parametrize("sent", NOT_A_PATH_HERE)
def test_a_report_sent_with_a_next_that_is_no_path_here_returns_to_the_discussion(
    client, post, sent
):
    client.force_login(make_user())

    response = client.post(
        reverse("forum:post-flag", args=[post.pk]), {"reason": "abuse", "next": sent}
    )

    assert response.status_code == 302
    assert response["Location"] == post.thread.get_absolute_url()
    assert Flag.objects.get().post == post


@pytest.mark.parametrize("sent", NOT_A_PATH_HERE)
def test_the_report_form_opened_with_a_next_that_is_no_path_here_does_not_carry_it(
    client, post, sent
):
    client.force_login(make_user())

    url = reverse("forum:post-flag", args=[post.pk])

    response = client.get(url, {"next": sent})

    assert response.status_code == 200
    page = Page(response.content.decode())
    (form,) = (form for form in page.find_all("form") if form.attrs["action"] == url)
    fields = [field.attrs["name"] for field in page.find_all("input") if form in field.ancestors()]
    assert "next" not in fields


@dataclass(frozen=True)
class ModeratorForm:
    url: str  # a URL name, reversed with the pk of the form's subject
    subject: Callable[[Post], int]  # the pk the URL takes, from the post acted on
    returns_to: Callable[[Post], str]  # where the form returns when "next" is no use
    recorded: str  # the audit record it writes
    data: dict[str, str] = field(default_factory=dict)
    before: Callable[[Post, Any], None] | None = None  # readies the subject, given the moderator


def on_post(post):
    return post.pk


def on_thread(post):
    return post.thread_id


def on_author(post):
    return post.author_id


def to_post(post):
    return post.get_absolute_url()


def to_thread(post):
    return post.thread.get_absolute_url()


def to_queue(post):
    return reverse("moderation:queue")


def to_ban_page(post):
    return reverse("moderation:user-ban", args=[post.author_id])


def held(post, moderator):
    Post.objects.filter(pk=post.pk).update(status=Status.PENDING)


def locked(post, moderator):
    Thread.objects.filter(pk=post.thread_id).update(is_locked=True)


def premoderated(post, moderator):
    Thread.objects.filter(pk=post.thread_id).update(is_premoderated=True)


def banned(post, moderator):
    moderation.ban_user(user=post.author, moderator=moderator, reason="Insults.")


MODERATOR_FORMS = {
    "approve": ModeratorForm(
        "moderation:post-approve", on_post, to_post, Action.APPROVE, before=held
    ),
    "remove": ModeratorForm("moderation:post-remove", on_post, to_post, Action.REMOVE),
    "remove-subtree": ModeratorForm(
        "moderation:post-remove-subtree", on_post, to_post, Action.REMOVE_SUBTREE
    ),
    "spam": ModeratorForm("moderation:post-spam", on_post, to_post, Action.SPAM),
    "lock": ModeratorForm("moderation:thread-lock", on_thread, to_thread, Action.LOCK),
    "unlock": ModeratorForm(
        "moderation:thread-unlock", on_thread, to_thread, Action.UNLOCK, before=locked
    ),
    "premoderation-on": ModeratorForm(
        "moderation:thread-premoderation-on", on_thread, to_thread, Action.PREMODERATE_ON
    ),
    "premoderation-off": ModeratorForm(
        "moderation:thread-premoderation-off",
        on_thread,
        to_thread,
        Action.PREMODERATE_OFF,
        before=premoderated,
    ),
    "ban": ModeratorForm(
        "moderation:user-ban",
        on_author,
        to_queue,
        Action.BAN,
        data={"reason": "Insults.", "duration": "7"},
    ),
    "unban": ModeratorForm(
        "moderation:user-unban", on_author, to_ban_page, Action.UNBAN, before=banned
    ),
}


@pytest.mark.parametrize("sent", NOT_A_PATH_HERE)
@pytest.mark.parametrize("name", MODERATOR_FORMS)
def test_a_moderator_form_sent_with_a_next_that_is_no_path_here_acts_and_returns_home(
    client, post, name, sent
):
    form = MODERATOR_FORMS[name]
    moderator = make_moderator("mod")
    client.force_login(moderator)
    if form.before:
        form.before(post, moderator)
    url = reverse(form.url, args=[form.subject(post)])
    earlier = list(ModerationRecord.objects.values_list("pk", flat=True))

    response = client.post(url, {**form.data, "next": sent})

    assert response.status_code == 302
    assert response["Location"] == form.returns_to(post)
    recorded = ModerationRecord.objects.exclude(pk__in=earlier).values_list("action", flat=True)
    assert list(recorded) == [form.recorded]


@pytest.mark.parametrize("sent", NOT_A_PATH_HERE)
def test_a_bulk_action_sent_with_a_next_that_is_no_path_here_returns_to_the_queue(
    client, post, sent
):
    client.force_login(make_moderator("mod"))

    response = client.post(
        reverse("moderation:queue"), {"action": "spam", "posts": [post.pk], "next": sent}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue")
    assert Post.objects.get(pk=post.pk).status == Status.SPAM


@pytest.mark.parametrize("sent", NOT_A_PATH_HERE)
def test_a_ban_refused_with_a_next_that_is_no_path_here_keeps_the_form(client, post, sent):
    client.force_login(make_moderator("mod"))

    response = client.post(
        reverse("moderation:user-ban", args=[post.author_id]), {"reason": "", "next": sent}
    )

    assert response.status_code == 400
    assert f'name="next" value="{reverse("moderation:queue")}"' in response.content.decode()
    assert not Ban.objects.exists()
