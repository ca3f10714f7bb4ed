from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from forum import trees
from forum.archives.loader import BATCH_SIZE, load
from forum.archives.records import ArticleRecord, DiscussionRecord, PostRecord
from forum.archives.seed import read_seed
from forum.models import Post, Thread
from tests.factories import make_article, make_post, make_thread, make_user

pytestmark = pytest.mark.django_db

START = datetime(2024, 1, 1, tzinfo=UTC)
SEED_PARENTS = {
    "seed:1": None,
    "seed:2": None,
    "seed:3": None,
    "seed:4": None,
    "seed:5": "seed:3",
    "seed:6": None,
    "seed:7": "seed:5",
    "seed:8": "seed:5",
    "seed:9": None,
    "seed:10": "seed:3",
    "seed:11": "seed:1",
    "seed:12": "seed:9",
    "seed:13": None,
    "seed:14": "seed:8",
}


def discussion(external_id="test:t1", **fields):
    fields.setdefault("title", "An imported discussion")
    return DiscussionRecord(external_id=external_id, created_at=START, **fields)


def post(external_id, parent=None, *, minute=0, discussion_id="test:t1", **fields):
    fields.setdefault("author_name", "Importer")
    fields.setdefault("status", "published")
    fields.setdefault("body", f"Post {external_id}.")
    return PostRecord(
        external_id=external_id,
        discussion_external_id=discussion_id,
        parent_external_id=parent,
        created_at=START + timedelta(minutes=minute),
        **fields,
    )


def stored_parents():
    return {
        p.external_id: p.parent.external_id if p.parent else None
        for p in Post.objects.select_related("parent")
    }


def tree_fields():
    return list(
        Post.objects.order_by("pk").values_list(
            "pk", "parent_id", "tree_id", "lft", "rght", "level"
        )
    )


def skip_reasons(summary):
    return {skipped.external_id: skipped.reason for skipped in summary.skipped}


def test_the_seed_loads_into_an_empty_database_as_valid_trees():
    summary = load(read_seed(), source="seed")
    thread = Thread.objects.get()
    assert (summary.discussions_created, summary.articles_created) == (1, 1)
    assert summary.posts_created == 14
    assert summary.skipped == []
    assert thread.article == Article.objects.get()
    assert (
        thread.external_id == "seed:china-ready-to-cooperate-with-russia-on-orbital-space-station"
    )
    assert thread.post_count == 14
    assert stored_parents() == SEED_PARENTS
    assert trees.tree_faults() == []


def test_loading_the_same_records_again_adds_nothing():
    load(read_seed(), source="seed")
    before = tree_fields()
    summary = load(read_seed(), source="seed")
    assert (summary.discussions_created, summary.discussions_found) == (0, 1)
    assert (summary.articles_created, summary.posts_created) == (0, 0)
    assert summary.posts_unchanged == 14
    assert tree_fields() == before
    assert (Article.objects.count(), Thread.objects.count()) == (1, 1)


def test_a_newer_stream_adds_replies_at_several_depths_inside_stored_trees():
    load(read_seed(), source="seed")
    stored_before = stored_parents()
    seed_id = Thread.objects.get().external_id
    newer = [
        *read_seed(),
        post("seed:15", "seed:1", minute=1, discussion_id=seed_id),
        post("seed:16", "seed:5", minute=2, discussion_id=seed_id),
        post("seed:17", "seed:14", minute=3, discussion_id=seed_id),
        post("seed:18", "seed:17", minute=4, discussion_id=seed_id),
        post("seed:19", "seed:7", minute=5, discussion_id=seed_id),
        post("seed:20", None, minute=6, discussion_id=seed_id),
    ]
    summary = load(newer, source="seed")
    assert summary.posts_created == 6
    assert summary.posts_unchanged == 14
    levels = dict(Post.objects.values_list("external_id", "level"))
    assert [levels[f"seed:{n}"] for n in range(15, 21)] == [1, 2, 4, 5, 3, 0]
    assert stored_parents() == {
        **stored_before,
        "seed:15": "seed:1",
        "seed:16": "seed:5",
        "seed:17": "seed:14",
        "seed:18": "seed:17",
        "seed:19": "seed:7",
        "seed:20": None,
    }
    assert Thread.objects.get().post_count == 20
    assert trees.tree_faults() == []


def test_a_newer_stream_updates_the_status_of_stored_posts():
    load(read_seed(), source="seed")
    newer = [
        record
        if record.external_id != "seed:2"
        else PostRecord(**{**record.__dict__, "status": Post.Status.REMOVED})
        for record in read_seed()
    ]
    summary = load(newer, source="seed")
    assert summary.statuses_updated == 1
    assert Post.objects.get(external_id="seed:2").status == Post.Status.REMOVED
    assert Thread.objects.get().post_count == 13


def test_replies_added_on_the_site_survive_a_newer_import():
    load(read_seed(), source="seed")
    thread = Thread.objects.get()
    site_reply = make_post(thread, parent=Post.objects.get(external_id="seed:8"))
    load(
        [*read_seed(), post("seed:15", "seed:8", minute=1, discussion_id=thread.external_id)],
        source="seed",
    )
    site_reply.refresh_from_db()
    assert site_reply.parent.external_id == "seed:8"
    assert Post.objects.get(external_id="seed:15").parent.external_id == "seed:8"
    assert trees.tree_faults() == []


def test_replies_may_come_before_their_parents_and_posts_before_their_discussion():
    records = [
        post("test:c", "test:b", minute=2),
        post("test:b", "test:a", minute=1),
        post("test:a", None, minute=0),
        discussion(),
    ]
    load(records, source="test")
    assert stored_parents() == {"test:a": None, "test:b": "test:a", "test:c": "test:b"}
    assert trees.tree_faults() == []


def test_siblings_are_ordered_by_their_time_not_by_stream_order():
    load(
        [
            discussion(),
            post("test:root"),
            post("test:late", "test:root", minute=9),
            post("test:early", "test:root", minute=1),
            post("test:middle", "test:root", minute=5),
        ],
        source="test",
    )
    replies = Post.objects.filter(parent__external_id="test:root").order_by("lft")
    assert [reply.external_id for reply in replies] == ["test:early", "test:middle", "test:late"]


def test_new_trees_continue_after_the_highest_stored_tree_id():
    thread = make_thread()
    existing = [make_post(thread), make_post(thread)]
    load([discussion(), post("test:a"), post("test:b", minute=1)], source="test")
    highest = max(p.tree_id for p in existing)
    new_ids = set(Post.objects.filter(external_id__isnull=False).values_list("tree_id", flat=True))
    assert new_ids == {highest + 1, highest + 2}
    assert trees.tree_faults() == []


def test_a_post_whose_parent_is_missing_is_skipped_with_its_replies():
    summary = load(
        [
            discussion(),
            post("test:a"),
            post("test:orphan", "test:gone", minute=1),
            post("test:below", "test:orphan", minute=2),
        ],
        source="test",
    )
    assert skip_reasons(summary) == {
        "test:orphan": "its parent test:gone is not in the discussion",
        "test:below": "its parent test:orphan was skipped",
    }
    assert list(Post.objects.values_list("external_id", flat=True)) == ["test:a"]


def test_orphans_attach_puts_a_post_whose_parent_is_missing_at_the_top_level():
    summary = load(
        [
            discussion(),
            post("test:orphan", "test:gone"),
            post("test:below", "test:orphan", minute=1),
        ],
        source="test",
        orphans="attach",
    )
    assert summary.skipped == []
    assert stored_parents() == {"test:orphan": None, "test:below": "test:orphan"}
    assert trees.tree_faults() == []


def test_a_reply_cycle_is_skipped_with_a_reason_and_the_rest_is_stored():
    summary = load(
        [
            discussion(),
            post("test:a", "test:b"),
            post("test:b", "test:a", minute=1),
            post("test:c", "test:a", minute=2),
            post("test:fine", minute=3),
        ],
        source="test",
    )
    reasons = skip_reasons(summary)
    assert reasons["test:a"].startswith("its replies form a cycle")
    assert reasons["test:b"].startswith("its replies form a cycle")
    assert reasons["test:c"] == "its parent test:a was skipped"
    assert list(Post.objects.values_list("external_id", flat=True)) == ["test:fine"]


def test_orphans_attach_breaks_a_cycle_at_its_first_post():
    summary = load(
        [discussion(), post("test:a", "test:b"), post("test:b", "test:a", minute=1)],
        source="test",
        orphans="attach",
    )
    assert summary.skipped == []
    assert stored_parents() == {"test:a": None, "test:b": "test:a"}
    assert trees.tree_faults() == []


def test_a_chain_ten_thousand_deep_loads_as_a_valid_tree():
    chain = [post("test:0")] + [
        post(f"test:{n}", f"test:{n - 1}", minute=n) for n in range(1, 10_000)
    ]
    summary = load([discussion(), *reversed(chain)], source="test")
    assert summary.posts_created == 10_000
    assert Post.objects.get(external_id="test:9999").level == 9_999
    assert Post.objects.get(external_id="test:0").rght == 20_000
    assert trees.tree_faults() == []


def test_imported_authors_are_names_only_never_local_accounts():
    make_user("Kirk")
    load(read_seed(), source="seed")
    kirk_posts = Post.objects.filter(author_name="Kirk")
    assert kirk_posts.count() == 2
    assert not kirk_posts.filter(author__isnull=False).exists()


def test_an_article_record_is_matched_to_the_stored_article_with_its_slug():
    article = make_article(slug="launch-day", title="Launch day")
    record = ArticleRecord(title="Launch day", slug="launch-day", published_at=START, body="Text.")
    summary = load([discussion(article=record)], source="test")
    assert summary.articles_created == 0
    assert Thread.objects.get().article == article
    assert Article.objects.count() == 1


def test_a_discussion_of_an_article_that_has_a_thread_goes_into_that_thread():
    article = make_article(slug="launch-day")
    thread = make_thread(article=article)
    record = ArticleRecord(title="Launch day", slug="launch-day", published_at=START, body="Text.")
    load([discussion(article=record), post("test:a")], source="test")
    thread.refresh_from_db()
    assert Thread.objects.count() == 1
    assert thread.external_id == "test:t1"
    assert Post.objects.get().thread == thread


def test_given_html_is_sanitised_again_and_markdown_is_rendered():
    load(
        [
            discussion(),
            post("test:html", body="hi", body_html="<p>hi</p><script>alert(1)</script>"),
            post("test:md", body="**bold**", minute=1),
        ],
        source="test",
    )
    html = dict(Post.objects.values_list("external_id", "body_html"))
    assert html["test:html"] == "<p>hi</p>"
    assert html["test:md"] == "<p><strong>bold</strong></p>\n"


def test_a_post_listed_twice_is_stored_once_and_reported():
    summary = load([discussion(), post("test:a"), post("test:a", body="Again.")], source="test")
    assert Post.objects.get().body == "Post test:a."
    assert skip_reasons(summary) == {"test:a": "it appears twice; the first is kept"}


def test_posts_of_a_discussion_neither_imported_nor_stored_are_skipped():
    summary = load([post("test:a", discussion_id="test:nowhere")], source="test")
    assert skip_reasons(summary) == {"test:a": "its discussion test:nowhere is not in the import"}
    assert not Post.objects.exists()


def test_posts_of_a_stored_discussion_may_come_without_it():
    load([discussion(), post("test:a")], source="test")
    load([post("test:b", "test:a", minute=1)], source="test")
    assert stored_parents() == {"test:a": None, "test:b": "test:a"}


def test_external_ids_without_their_source_are_refused_and_nothing_is_stored():
    with pytest.raises(ValueError, match="'1' is not a '<source>:<id>' external id"):
        load([discussion(), post("1")], source="test")
    assert not Thread.objects.exists()


def test_ids_first_imported_from_another_source_are_kept_as_they_are():
    load([discussion(), post("disqus:1"), post("seed:2", "disqus:1", minute=1)], source="test")
    assert stored_parents() == {"disqus:1": None, "seed:2": "disqus:1"}


def test_a_failure_midway_leaves_the_database_as_it_was():
    records = [
        discussion("test:good"),
        post("test:a", discussion_id="test:good"),
        discussion("test:bad", lock_reason="x" * 301),  # longer than any lock reason
    ]
    with pytest.raises(ValidationError):
        load(records, source="test")
    assert not Thread.objects.exists()
    assert not Post.objects.exists()


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown status 'hidden'"):
        load([discussion(), post("test:a", status="hidden")], source="test")
    assert not Thread.objects.exists()


def test_the_tree_module_refuses_posts_that_hang_from_nothing():
    thread = make_thread()
    first, second = Post(thread=thread, body="a"), Post(thread=thread, body="b")
    first.parent, second.parent = second, first
    with pytest.raises(ValueError, match="a cycle"):
        trees.bulk_insert_posts(thread=thread, posts=[first, second])
    assert not Post.objects.exists()


def test_replies_under_more_stored_posts_of_one_tree_than_a_batch_keep_it_valid():
    count = trees.BULK_BATCH_SIZE + 200
    children = [post(f"test:c{n}", "test:root", minute=n + 1) for n in range(count)]
    load([discussion(), post("test:root"), *children], source="test")
    replies = [post(f"test:r{n}", f"test:c{n}", minute=10_000 + n) for n in range(count)]
    summary = load(replies, source="test")
    assert summary.posts_created == count
    assert Post.objects.get(external_id="test:root").rght == 2 * (2 * count + 1)
    last = Post.objects.get(external_id=f"test:r{count - 1}")
    assert (last.parent.external_id, last.level) == (f"test:c{count - 1}", 2)
    assert trees.tree_faults() == []


def test_a_locked_discussion_is_stored_locked_with_its_reason():
    load([discussion(is_locked=True, lock_reason="Archived.")], source="test")
    assert Thread.objects.values_list("is_locked", "lock_reason").get() == (True, "Archived.")


def test_posts_are_stored_in_batches_while_the_stream_is_still_being_read():
    seen_while_reading = []

    def stream():
        yield discussion()
        for n in range(2 * BATCH_SIZE):
            yield post(f"test:{n}", minute=n)
        seen_while_reading.append(Post.objects.count())

    summary = load(stream(), source="test")
    assert seen_while_reading == [2 * BATCH_SIZE]
    assert summary.posts_created == Post.objects.count() == 2 * BATCH_SIZE
    assert trees.tree_faults() == []


def test_replies_stored_in_an_earlier_batch_than_their_parents_hang_from_them():
    replies = [post(f"test:r{n}", "test:late", minute=n + 1) for n in range(BATCH_SIZE)]
    load([discussion(), *replies, post("test:late")], source="test")
    late = Post.objects.get(external_id="test:late")
    assert late.get_children().count() == BATCH_SIZE
    assert (late.level, late.lft, late.rght) == (0, 1, 2 * BATCH_SIZE + 2)
    assert trees.tree_faults() == []


def test_skipped_posts_leave_no_row_behind_once_the_batch_holding_them_is_stored():
    orphans = [post(f"test:o{n}", "test:gone", minute=n) for n in range(BATCH_SIZE + 1)]
    summary = load([discussion(), *orphans, post("test:kept")], source="test")
    assert len(summary.skipped) == BATCH_SIZE + 1
    assert list(Post.objects.values_list("external_id", flat=True)) == ["test:kept"]
    assert Thread.objects.get().post_count == 1


def test_an_unknown_orphan_policy_is_refused_before_anything_is_stored():
    with pytest.raises(ValueError, match="orphans must be one of"):
        load([discussion(), post("test:a")], source="test", orphans="adopt")
    assert not Thread.objects.exists()


def test_a_bulk_load_that_leaves_posts_unplaced_stores_nothing():
    thread = make_thread()
    with pytest.raises(trees.UnplacedPostsLeft), trees.bulk_load() as bulk:
        bulk.insert([Post(thread=thread, author_name="A", body="a", body_html="<p>a</p>")])
    assert not Post.objects.exists()


def test_a_discussion_linked_to_an_articles_page_is_attached_to_that_article():
    article = make_article(slug="launch-day")
    link = f"https://news.example.com{article.get_absolute_url()}"
    summary = load([discussion(link=link), post("test:a")], source="test")
    thread = Thread.objects.get()
    assert thread.article == article
    assert (summary.discussions_created, summary.articles_created) == (1, 0)
    assert Post.objects.get().thread == thread


def test_a_discussion_linked_to_an_articles_source_is_attached_to_that_article():
    article = make_article(source="https://wire.example.org/2019/03/station/")
    load([discussion(link="https://wire.example.org/2019/03/station/")], source="test")
    assert Thread.objects.get().article == article


def test_a_discussion_linked_to_an_article_that_has_a_thread_goes_into_that_thread():
    article = make_article(slug="launch-day")
    thread = make_thread(article=article)
    link = f"https://old.example.com{article.get_absolute_url()}"
    summary = load([discussion(link=link), post("test:a")], source="test")
    thread.refresh_from_db()
    assert summary.discussions_found == 1
    assert Thread.objects.count() == 1
    assert thread.external_id == "test:t1"
    assert Post.objects.get().thread == thread


def test_a_discussion_linked_to_no_article_gets_a_thread_of_its_own():
    make_article(slug="launch-day", source="https://wire.example.org/launch/")
    load([discussion(link="https://news.example.com/articles/launch-day-2/")], source="test")
    assert Thread.objects.get().article is None
