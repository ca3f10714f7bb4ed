"""What a search finds, on either database: the same suite runs on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest

from forum import events
from search.models import Document
from search.services import NEWEST
from tests.factories import make_article, make_post, make_thread, make_user

pytestmark = pytest.mark.django_db


def test_a_post_is_found_by_a_phrase_from_it(discussion, find):
    discussion("The crew will dock with the orbital station in May.")
    discussion("The station is orbital, they say.")
    assert find('"orbital station"') == ["The crew will dock with the orbital station in May."]


def test_every_word_must_be_there(discussion, find):
    discussion("Mars rover lands.")
    discussion("Mars is red.")
    assert find("mars rover") == ["Mars rover lands."]


def test_or_finds_either_word(discussion, find):
    discussion("Lunar gateway.")
    discussion("Martian dust.")
    discussion("Solar wind.")
    assert sorted(find("lunar OR dust")) == ["Lunar gateway.", "Martian dust."]


def test_an_excluded_word_drops_the_posts_that_have_it(discussion, find):
    discussion("The station module is Russian.")
    discussion("The station module is European.")
    assert find("module -russian") == ["The station module is European."]


def test_author_filter_keeps_that_authors_posts(discussion, find):
    mira = make_user("mira")
    discussion("Docking today.", author=mira)
    discussion("Docking tomorrow.", author_name="Someone")
    assert find("docking author:Mira") == ["Docking today."]


def test_author_alone_lists_that_authors_posts(discussion, find):
    discussion("First words.", author_name="Ola")
    discussion("Other words.", author_name="Ben")
    assert find("author:ola") == ["First words."]


def test_a_discussion_filter_keeps_that_discussions_posts(discussion, find, committed):
    discussion("Telescope mirrors.")
    with committed():
        elsewhere = make_thread("Elsewhere")
        make_post(elsewhere, body="Telescope lenses.")
    assert find("telescope", thread=discussion.thread) == ["Telescope mirrors."]


def test_a_date_range_keeps_what_was_written_in_it(discussion, find):
    discussion("Eclipse one.", created_at=datetime(2024, 3, 1, 12, tzinfo=UTC))
    discussion("Eclipse two.", created_at=datetime(2024, 4, 8, 12, tzinfo=UTC))
    discussion("Eclipse three.", created_at=datetime(2024, 5, 1, 12, tzinfo=UTC))
    found = find("eclipse", since=date(2024, 4, 8), until=date(2024, 4, 8))
    assert found == ["Eclipse two."]


def test_newest_first_orders_by_date(discussion, find):
    discussion("Comet seen.", created_at=datetime(2024, 1, 1, tzinfo=UTC))
    discussion("Comet seen again, comet comet.", created_at=datetime(2024, 2, 1, tzinfo=UTC))
    assert find("comet", order=NEWEST) == ["Comet seen again, comet comet.", "Comet seen."]


def test_best_match_puts_the_title_above_a_passing_mention(discussion, find, committed):
    discussion("We mentioned a nebula once, long ago, in passing among other things.")
    with committed():
        make_post(make_thread("Nebula"), body="Hello.")
    assert find("nebula")[0] == "Nebula"


def test_articles_are_found_by_their_text(committed, find):
    with committed():
        article = make_article("Launch day", body="The rocket lifted off at dawn.")
        events.announce(events.Write.ARTICLE_EDITED, articles=[article])
    assert find("dawn") == ["The rocket lifted off at dawn."]


def test_an_accented_word_is_found_without_its_accent(discussion, find):
    discussion("Le café près de la rampe de lancement.")
    assert find("cafe pres") == ["Le café près de la rampe de lancement."]


def test_a_word_without_accent_is_found_with_one(discussion, find):
    discussion("A naive question.")
    assert find("naïve") == ["A naive question."]


def test_a_cyrillic_word_is_found(discussion, find):
    discussion("Космическая станция готова к запуску.")
    assert find("станция") == ["Космическая станция готова к запуску."]


def test_a_cjk_phrase_is_found_inside_a_run_of_characters(discussion, find):
    discussion("中国空间站准备与俄罗斯合作")
    discussion("空间 and 站 apart")
    assert find("空间站") == ["中国空间站准备与俄罗斯合作"]


def test_a_stemmed_form_finds_the_other(discussion, find):
    discussion("Three launches this week.")
    assert find("launch") == ["Three launches this week."]


def test_pages_follow_one_another_without_repeats(discussion, settings):
    from django.contrib.auth.models import AnonymousUser

    from search import query, services

    settings.PARLEY_SEARCH_RESULTS_PER_PAGE = 2
    for n in range(5):
        discussion(f"Asteroid number {n}.", created_at=datetime(2024, 1, 1 + n, tzinfo=UTC))
    pages = [
        services.search(user=AnonymousUser(), query=query.parse("asteroid"), order=NEWEST, page=n)
        for n in (1, 2, 3)
    ]
    texts = [[result.excerpt for result in page.results] for page in pages]
    assert [len(each) for each in texts] == [2, 2, 1]
    assert len({text for each in texts for text in each}) == 5
    assert [page.has_next for page in pages] == [True, True, False]


def test_each_post_is_one_document_of_the_text_its_page_shows(discussion):
    post = discussion("Some **bold** words & <b>tags</b>.")
    document = Document.objects.get(post=post)
    assert document.text == "Some bold words & <b>tags</b>."  # as the page shows it


def test_without_filters_a_common_word_is_ranked_among_its_newest_matches(
    discussion, find, settings
):
    settings.PARLEY_SEARCH_WINDOW = 2
    for n in range(3):
        discussion(f"Common word {n}.", author_name="Ola")
    assert sorted(find("common")) == ["Common word 1.", "Common word 2."]


def test_a_filtered_search_sees_every_match_beyond_the_window(discussion, find, settings):
    settings.PARLEY_SEARCH_WINDOW = 2
    for n in range(3):
        discussion(f"Common word {n}.", author_name="Ola")
    assert len(find("common author:ola")) == 3
