"""A discussion's posts as items.py writes them: what a reader sees of each post."""

from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.defaultfilters import date as date_filter
from django.urls import resolve
from django.utils import timezone, translation

from forum import selectors
from forum.rendering.items import REPLYING_TO_FROM, TimeFormatter, render_fragment
from tests.factories import make_post, make_thread, make_user
from tests.markup import Page


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 1, 5, 7, 3, 9, tzinfo=UTC),
        datetime(2023, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2024, 2, 29, 0, 0, tzinfo=UTC),
        datetime(2025, 5, 17, 12, 30, tzinfo=UTC),
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "America/St_Johns", "Asia/Kolkata"])
def test_a_posts_time_reads_as_the_date_filter_writes_it_with_its_zone(moment, zone):
    with timezone.override(zone):
        local = timezone.localtime(moment)
        expected = (
            f'<time datetime="{local.isoformat()}">{date_filter(local, "j M Y, H:i T")}</time>'
        )
        assert TimeFormatter()(moment) == expected


def test_a_posts_month_is_named_in_the_active_language():
    moment = datetime(2024, 5, 17, 12, 30, tzinfo=UTC)
    with translation.override("de"):
        assert ">17 Mai 2024, 12:30 UTC<" in TimeFormatter()(moment)


def test_in_the_hour_the_clock_goes_back_the_zone_tells_the_two_times_apart():
    # New York's clocks went from 01:59 EDT back to 01:00 EST on 3 November 2024.
    first, second = (
        datetime(2024, 11, 3, 5, 30, tzinfo=UTC),
        datetime(2024, 11, 3, 6, 30, tzinfo=UTC),
    )
    with timezone.override("America/New_York"):
        formatter = TimeFormatter()
        assert ">3 Nov 2024, 01:30 EDT<" in formatter(first)
        assert ">3 Nov 2024, 01:30 EST<" in formatter(second)


def rendered(thread):
    """The thread's discussion as the public's shared HTML renders it, footers left empty."""
    order = selectors.sort_order(None)
    roots = list(thread.posts.filter(parent=None).values_list("tree_id", flat=True))
    fragment = render_fragment(selectors.tree_entries(roots, AnonymousUser(), order))
    return Page(fragment.assemble([""] * len(fragment.posts)).decode())


@pytest.mark.django_db
def test_a_post_with_replies_folds_with_them_under_a_control_naming_its_author_and_count():
    thread = make_thread()
    question = make_post(thread, author_name='<b>Kirk</b> & "Co"')
    answer = make_post(thread, parent=question, author_name="Nadia")
    make_post(thread, parent=answer, author_name="Kirk")

    page = rendered(thread)

    fold = page.by_id[f"fold-{question.pk}"]
    assert fold.tag == "details" and "open" in fold.attrs
    assert page.by_id[f"post-{question.pk}"].parent is fold
    assert page.by_id[f"replies-{question.pk}"].parent is fold
    opened = [page.text(span) for span in page.find_all("span", "fold-opened")]
    assert opened == ["Hide 2 replies", "Hide 1 reply"]
    closed = [page.text(span) for span in page.find_all("span", "fold-closed")]
    assert closed == ['<b>Kirk</b> & "Co", with 2 replies: show', "Nadia, with 1 reply: show"]
    assert not page.find_all("b")


@pytest.mark.django_db
def test_from_the_fourth_level_a_post_names_whom_it_replies_to():
    thread = make_thread()
    posts = [make_post(thread, author_name="Author <0>")]
    for level in range(1, REPLYING_TO_FROM + 2):
        posts.append(make_post(thread, parent=posts[-1], author_name=f"Author <{level}>"))

    page = rendered(thread)

    replying = {
        span.nearest("article").attrs["id"]: page.text(span)
        for span in page.find_all("span", "post-replying-to")
    }
    assert replying == {
        f"post-{posts[level].pk}": f"replying to Author <{level - 1}>"
        for level in range(REPLYING_TO_FROM, REPLYING_TO_FROM + 2)
    }


@pytest.mark.django_db
def test_a_members_name_links_to_their_profile_and_every_author_wears_initials():
    thread = make_thread()
    member = make_user("kirk.t+nasa@example")
    make_post(thread, author=member)
    make_post(thread, author_name="Robert G. Oler")

    page = rendered(thread)

    (link,) = page.find_all("a", "post-author")
    profile = resolve(unquote(link.attrs["href"]))  # as the server reads the address
    assert (profile.view_name, profile.kwargs) == (
        "accounts:profile",
        {"username": member.username},
    )
    assert page.text(link) == "kirk.t+nasa@example"
    assert [page.text(span) for span in page.find_all("span", "post-author")] == ["Robert G. Oler"]
    avatars = page.find_all("span", "avatar")
    assert [page.text(avatar) for avatar in avatars] == ["KI", "RG"]
    assert all(avatar.attrs["aria-hidden"] == "true" for avatar in avatars)
