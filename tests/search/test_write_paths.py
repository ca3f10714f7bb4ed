"""Every announced write keeps the results right, heard after its commit, never from save()."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from articles.models import Article
from forum import events, moderation, services
from forum.archives.loader import load
from forum.archives.records import DiscussionRecord, PostRecord
from forum.models import Post, Thread
from search.models import Document
from tests.factories import (
    make_article,
    make_moderator,
    make_posts_in_bulk,
    make_user,
)

pytestmark = pytest.mark.django_db

START = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
def mod():
    return make_moderator("mod")


def test_a_reply_is_found(discussion, committed, find):
    root = discussion("Question.")
    with committed():
        services.post_reply(
            thread=discussion.thread, parent=root, author=make_user(), body="Quasar answer."
        )
    assert find("quasar") == ["Quasar answer."]


def test_a_new_discussion_is_found_by_its_title_and_first_post(committed, find):
    with committed():
        services.start_thread(title="Pulsar timing", author=make_user(), body="Ticks.")
    assert sorted(find("pulsar OR ticks")) == ["Pulsar timing", "Ticks."]


def test_an_edit_replaces_the_old_words(discussion, committed, find):
    author = make_user()
    post = discussion("Wrong planet.", author=author)
    with committed():
        services.edit_post(post=post, editor=author, body="Right moon.")
    assert (find("planet"), find("moon")) == ([], ["Right moon."])


def test_a_removal_hides_the_post_from_readers(discussion, committed, find, mod):
    post = discussion("Rude quasar.")
    with committed():
        moderation.remove_post(post=post, moderator=mod, reason="Rude.")
    assert find("quasar") == []
    assert find("quasar", user=mod) == ["Rude quasar."]


def test_a_subtree_removal_hides_every_reply(discussion, committed, find, mod):
    root = discussion("Quasar root.")
    discussion("Quasar reply.", parent=root)
    with committed():
        moderation.remove_post(post=root, moderator=mod, reason="Thread derail.", subtree=True)
    assert find("quasar") == []


def test_spam_is_hidden_from_readers(discussion, committed, find, mod):
    post = discussion("Buy quasar pills.")
    with committed():
        moderation.mark_spam(post=post, moderator=mod)
    assert find("quasar") == []
    assert find("quasar", user=mod, statuses=["spam"]) == ["Buy quasar pills."]


def test_a_post_hidden_by_reports_is_hidden_from_readers(discussion, committed, find, settings):
    settings.PARLEY_FLAGS_TO_HIDE = 1
    post = discussion("Flagged quasar.")
    with committed():
        moderation.flag_post(post=post, reporter=make_user(), reason="spam")
    assert find("quasar") == []


def test_a_moved_post_is_still_found_with_its_replies(discussion, committed, find, mod):
    target = discussion("Target.")
    post = discussion("Moving quasar.")
    discussion("Quasar reply.", parent=post)
    with committed():
        moderation.move_post(post=post, new_parent=target, moderator=mod, reason="An answer.")
    assert sorted(find("quasar")) == ["Moving quasar.", "Quasar reply."]
    assert Document.objects.get(post=post).thread_id == discussion.thread.pk


def test_a_split_post_is_found_in_its_new_discussion(discussion, committed, find, mod):
    root = discussion("Tangent quasar.")
    discussion("Tangent reply.", parent=root)
    with committed():
        new = moderation.split_post(post=root, moderator=mod, reason="Off topic.", title="Quasars")
    assert sorted(find("tangent", thread=new)) == ["Tangent quasar.", "Tangent reply."]
    assert find("quasars", thread=new)[0] == "Quasars"


def record_post(external_id, body, status="published"):
    return PostRecord(
        external_id=external_id,
        discussion_external_id="test:t1",
        parent_external_id=None,
        author_name="Importer",
        created_at=START,
        status=status,
        body=body,
    )


def test_an_import_is_found(committed, find):
    records = [
        DiscussionRecord(external_id="test:t1", title="Imported blazars", created_at=START),
        record_post("test:1", "Blazar jets."),
        record_post("test:2", "Hidden blazar.", status="spam"),
    ]
    with committed():
        load(records, source="test")
    assert sorted(find("blazar")) == ["Blazar jets.", "Imported blazars"]


def test_a_reimport_that_removes_a_post_hides_it(committed, find):
    discussion = DiscussionRecord(external_id="test:t1", title="Imported", created_at=START)
    with committed():
        load([discussion, record_post("test:1", "Blazar jets.")], source="test")
    with committed():
        load([discussion, record_post("test:1", "Blazar jets.", status="removed")], source="test")
    assert find("blazar") == []


def test_a_bulk_load_is_found(discussion, committed, find):
    with committed():
        make_posts_in_bulk(discussion.thread, 12)
    assert find('"post 11"') == ["Post 11."]


def test_an_article_saved_in_the_admin_is_found_with_its_new_text(committed, find, admin_client):
    article = make_article("Old title", body="Old words.")
    form = {
        "title": "Aurora tonight",
        "slug": article.slug,
        "published_at_0": "2024-01-01",
        "published_at_1": "10:00:00",
        "body": "Green aurora.",
    }
    with committed():
        url = reverse("admin:articles_article_change", args=[article.pk])
        answer = admin_client.post(url, form)
    assert answer.status_code == 302
    assert find("aurora") == ["Green aurora."]
    assert find("old") == []


def test_an_article_deleted_in_the_admin_leaves_the_index(committed, find, admin_client):
    with committed():
        article = make_article("Aurora", body="Green aurora.")
        events.announce(events.Write.ARTICLE_EDITED, articles=[article])
    url = reverse("admin:articles_article_delete", args=[article.pk])
    with committed():
        admin_client.post(url, {"post": "yes"})
    assert not Article.objects.exists()
    assert (find("aurora"), Document.objects.filter(kind=Document.Kind.ARTICLE).count()) == ([], 0)


def test_a_discussion_renamed_in_the_admin_is_found_by_its_new_title(
    discussion, committed, find, admin_client
):
    discussion("Anything.")
    thread = discussion.thread
    form = {"title": "Magnetar corner", "slug": thread.slug, "created_at_0": "2024-01-01"}
    form["created_at_1"] = "10:00:00"
    with committed():
        admin_client.post(reverse("admin:forum_thread_change", args=[thread.pk]), form)
    assert Thread.objects.get(pk=thread.pk).title == "Magnetar corner"
    assert find("magnetar") == ["Magnetar corner"]


def test_votes_leave_the_index_alone(discussion, committed):
    from forum import votes
    from forum.models import Vote

    post = discussion("Vote on me.")
    before = Document.objects.get(post=post).pk
    with committed():
        votes.cast_vote(post=post, voter=make_user(), value=Vote.Value.UP)
    assert Document.objects.get(post=post).pk == before
    assert Post.objects.get(pk=post.pk).upvotes == 1
