"""The search page and boxes as a reader uses them, hostile queries included."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from tests.factories import make_article, make_moderator, make_post, make_thread, make_user

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:results")

HOSTILE = [
    '"',
    '"""',
    "*",
    "quasar*",
    "NEAR(quasar bright)",
    "NEAR/2",
    "quasar:bright",
    "body:quasar",
    "(quasar",
    "quasar)",
    "^quasar",
    "quasar AND",
    "OR",
    "NOT quasar",
    "-",
    "--quasar",
    "'; DROP TABLE forum_post; --",
    "quasar & | ! <-> :*",
    "\\",
    "%",
    "{col1 col2}: quasar",
    "quasar\x00bright",
    "\x00",
    "x" * 10_000,
    "quasar " * 2_000,
]


@pytest.fixture
def posted(discussion):
    discussion("A bright quasar, <script>alert(1)</script> and a <mark>fake</mark>.")
    return discussion


def test_the_header_has_a_search_box_on_every_page(client):
    page = client.get(reverse("articles:home")).content.decode()
    assert f'action="{SEARCH}"' in page and 'name="q"' in page


def test_a_reader_finds_a_post_by_a_phrase_and_follows_it(client, posted):
    page = client.get(SEARCH, {"q": '"bright quasar"'})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<mark>bright</mark> <mark>quasar</mark>" in html
    post = posted.thread.posts.get()
    assert f'href="{post.get_absolute_url()}"' in html
    assert client.get(post.get_absolute_url()).status_code == 200


def test_excerpts_are_escaped_and_only_our_marks_are_tags(client, posted):
    html = client.get(SEARCH, {"q": "quasar"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in html
    assert "<script>alert" not in html


def test_a_result_shows_title_author_and_date(client, discussion):
    post = discussion("Quasar news.", author=make_user("mira"))
    html = client.get(SEARCH, {"q": "quasar"}).content.decode()
    assert "General chat" in html and "mira" in html
    assert f'<time datetime="{post.created_at.isoformat()}">' in html


@pytest.mark.parametrize("raw", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_get_results_or_a_message_never_an_error(client, posted, raw):
    answer = client.get(SEARCH, {"q": raw})
    html = answer.content.decode()
    assert answer.status_code in (200, 400)
    if answer.status_code == 400:
        assert 'role="alert"' in html
    else:
        assert "search-results" in html or "Nothing found" in html


def test_a_hostile_query_does_not_break_phrases_for_the_next_reader(client, posted):
    client.get(SEARCH, {"q": '"unclosed NEAR( *'})
    assert "<mark>bright</mark>" in client.get(SEARCH, {"q": '"bright quasar"'}).content.decode()


def test_a_too_long_query_is_refused_with_a_message_and_kept(client, posted):
    answer = client.get(SEARCH, {"q": "quasar " * 100})
    assert answer.status_code == 400
    assert "too long" in answer.content.decode()


def test_an_empty_search_asks_for_a_word(client):
    answer = client.get(SEARCH, {"q": "  "})
    assert answer.status_code == 400
    assert "Type a word or a phrase" in answer.content.decode()


def test_only_excluded_words_asks_for_a_word_to_look_for(client):
    answer = client.get(SEARCH, {"q": "-quasar"})
    assert answer.status_code == 400
    assert "cannot only leave words out" in answer.content.decode()


def test_a_reversed_date_range_is_refused(client, posted):
    answer = client.get(SEARCH, {"q": "quasar", "since": "2024-05-01", "until": "2024-04-01"})
    assert answer.status_code == 400
    assert "The end comes before the start." in answer.content.decode()


def test_a_bad_date_or_page_is_refused_not_an_error(client, posted):
    assert client.get(SEARCH, {"q": "quasar", "since": "yesterday"}).status_code == 400
    assert client.get(SEARCH, {"q": "quasar", "page": "-3"}).status_code == 400
    assert client.get(SEARCH, {"q": "quasar", "page": "9" * 40}).status_code == 200


def test_an_unknown_discussion_is_refused(client):
    answer = client.get(SEARCH, {"q": "quasar", "discussion": "no-such-thing"})
    assert answer.status_code == 400
    assert "no such discussion" in answer.content.decode()


def test_a_discussion_page_has_a_search_this_discussion_box(client, discussion):
    discussion("Anything.")
    html = client.get(discussion.thread.get_forum_url()).content.decode()
    assert "Search this discussion" in html
    assert f'name="discussion" value="{discussion.thread.slug}"' in html


def test_an_articles_discussion_has_the_box_too(client, committed):
    article = make_article("Launch")
    with committed():
        make_post(make_thread("Launch", article=article), body="Hi.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Search this discussion" in html


def test_the_discussion_box_searches_that_discussion_only(client, discussion, committed):
    discussion("Quasar here.")
    with committed():
        make_post(make_thread("Elsewhere"), body="Quasar there.")
    url = discussion.thread.get_forum_url()
    client.get(url)  # the page, as a reader sees it, then the box's own request
    html = client.get(SEARCH, {"q": "quasar", "discussion": discussion.thread.slug})
    text = strip_tags(html.content.decode())
    assert "Quasar here." in text and "Quasar there." not in text
    assert "Search in “General chat”" in text


def test_the_shared_discussion_html_holds_nothing_of_the_reader(client, discussion):
    discussion("Anything.")
    client.force_login(make_user("private-reader"))
    html = client.get(discussion.thread.get_forum_url()).content.decode()
    box = html[html.index('class="discussion-search"') :]
    box = box[: box.index("</form>")]
    assert "private-reader" not in box and "csrf" not in box


def test_pages_link_to_each_other_keeping_the_query(client, discussion, settings):
    settings.PARLEY_SEARCH_RESULTS_PER_PAGE = 1
    discussion("Quasar one.")
    discussion("Quasar two.")
    first = client.get(SEARCH, {"q": "quasar", "order": "newest"}).content.decode()
    assert "?q=quasar&amp;order=newest&amp;page=2" in first
    second = client.get(SEARCH, {"q": "quasar", "order": "newest", "page": 2}).content.decode()
    assert "Quasar one." in strip_tags(second) and "Quasar two." not in strip_tags(second)
    assert 'rel="prev"' in second


def test_moderators_get_a_status_filter_and_readers_do_not(client, discussion):
    discussion("Spam quasar.", status="spam")
    assert 'name="status"' not in client.get(SEARCH, {"q": "quasar"}).content.decode()
    client.force_login(make_moderator())
    html = client.get(SEARCH, {"q": "quasar", "status": "spam"}).content.decode()
    assert 'name="status"' in html and "Spam quasar." in strip_tags(html)
