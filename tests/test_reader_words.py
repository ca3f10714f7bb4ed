"""Readers meet one word for what they write: a "comment", never a "post", on every page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from forum import moderation, services
from forum.events import Write
from notifications import fanout, following
from tests.factories import make_article, make_moderator, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

# "post" as a noun, or any "posts"; "Post" on the send button and "posted" are verbs.
NOUN = re.compile(r"\bposts\b|\b(?:a|the|your|this|new|own|first|by|one)\s+post\b", re.I)
SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


def shown_words(html):
    """What a reader sees or hears of a page: its title, its text and its labels."""
    page = Page(html)
    texts = [page.text(page.find_all("title")[0]), page.text(page.find_all("body")[0])]
    texts += [
        element.attrs[name]
        for element in page.elements
        for name in SHOWN_ATTRIBUTES
        if element.attrs.get(name)
    ]
    description = [m for m in page.find_all("meta") if m.attrs.get("name") == "description"]
    texts += [m.attrs["content"] for m in description]
    return " ".join(" ".join(texts).split())


@pytest.fixture
def site(django_capture_on_commit_callbacks):
    """alice's comments answered, reported and moderated; bob muted; a discussion followed."""
    alice, bob, mod = make_user("alice"), make_user("bob"), make_moderator("mod")
    article = make_article("Stations in orbit")
    with django_capture_on_commit_callbacks(execute=True):
        on_article = make_thread("Stations in orbit", article=article)
        thread = services.start_thread(title="Orbital stations", author=alice, body="Which?")
        first = thread.posts.get()
        reply = services.post_reply(thread=thread, parent=first, author=bob, body="This one.")
        answer = services.post_reply(thread=thread, parent=reply, author=alice, body="Why?")
        removed = services.post_reply(thread=on_article, parent=None, author=alice, body="Off.")
        moderation.remove_post(post=removed, moderator=mod, reason="Off topic.")
    fanout.handle(Write.POST_ADDED, [reply.pk])
    fanout.handle(Write.POST_REMOVED, [removed.pk])
    following.mute(user=alice, muted=bob)
    return {"alice": alice, "thread": thread, "first": first, "reply": reply, "answer": answer}


def reader_pages(site):
    thread, first, answer = site["thread"], site["first"], site["answer"]
    return [
        reverse("articles:home"),
        reverse("forum:thread-list"),
        thread.get_absolute_url(),
        first.get_absolute_url(),
        reverse("forum:post-reply", args=[first.pk]),
        reverse("forum:post-edit", args=[answer.pk]),
        reverse("forum:post-delete", args=[answer.pk]),
        reverse("forum:post-flag", args=[site["reply"].pk]),
        reverse("forum:thread-new"),
        reverse("accounts:profile", args=["alice"]),
        reverse("accounts:profile", args=["bob"]),
        reverse("accounts:settings"),
        reverse("notifications:inbox"),
        reverse("search:results") + "?q=one",
    ]


def test_a_members_pages_call_every_post_a_comment(site):
    client = Client()
    client.force_login(site["alice"])
    for url in reader_pages(site):
        response = client.get(url)
        assert response.status_code == 200, url
        words = shown_words(response.content.decode())
        assert not NOUN.findall(words), (url, NOUN.findall(words))


def test_a_visitors_pages_and_the_feeds_call_every_post_a_comment(site):
    client = Client()
    for url in [*reader_pages(site)[:4], reverse("accounts:profile", args=["alice"])]:
        words = shown_words(client.get(url).content.decode())
        assert not NOUN.findall(words), (url, NOUN.findall(words))
    for feed in (
        reverse("forum:thread-feed", args=[site["thread"].slug]),
        reverse("accounts:feed", args=["alice"]),
    ):
        titles = re.findall(r"<(?:title|subtitle)>([^<]*)<", client.get(feed).content.decode())
        assert titles and not NOUN.findall(" ".join(titles)), (feed, titles)
