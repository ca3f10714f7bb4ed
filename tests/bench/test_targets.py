"""The benchmark's verdicts on targets and its check of a page: pure rules the table relies on."""

import re

import pytest

from bench.discussion import ArchivedPost, shown_posts
from bench.measure import Failed, Target

ANCHOR = re.compile(r'id="post-(\d+)"')


def test_a_ratio_at_or_above_its_goal_is_met():
    assert Target("cold", 10.0, 10, "x").verdict == "met"


def test_a_ratio_below_its_goal_is_missed_by_the_factor_between_them():
    assert Target("cold", 0.8, 10, "x").verdict == "missed by 12.5x"


def test_a_ceiling_exceeded_is_missed_by_the_factor_above_it():
    assert Target("memory", 500, 250, " MB", at_least=False).verdict == "missed by 2.0x"


def test_a_figure_the_run_could_not_measure_is_not_met():
    target = Target("throughput", None, 50, "%")
    assert (target.met, target.verdict) == (False, "not measured")


def _post(number, status="published"):
    return ArchivedPost(
        number=number,
        parent=None,
        created_at="2013-01-07T09:00:00+00:00",
        name="Ada Lovelace",
        email="ada@example.com",
        text=f"Orbit number {number} docking.",
        status=status,
        first_sentence=f"Orbit number {number} docking.",
    )


def test_a_page_showing_each_post_with_its_text_counts_them():
    posts = {1: _post(1), 2: _post(2), 3: _post(3, status="deleted")}
    html = (
        '<article id="post-11"><p>Orbit number 1 docking.</p>'
        '<article id="post-12"><p>Orbit number 2 docking.</p>'
        '<article id="post-13"><p>This comment was deleted.</p>'
    )
    shown = shown_posts(html, ANCHOR, {11: 1, 12: 2, 13: 3}, posts)
    assert shown == {"posts": 3, "with_text": 2, "placeholders": 1}


def test_a_published_post_whose_text_is_only_in_another_posts_part_fails_the_check():
    posts = {1: _post(1), 2: _post(2)}
    html = (
        '<p>Orbit number 1 docking.</p><article id="post-11"></article>'
        '<article id="post-12"><p>Orbit number 2 docking.</p>'
    )
    with pytest.raises(Failed, match="1 published posts shown without their text"):
        shown_posts(html, ANCHOR, {11: 1, 12: 2}, posts)


def test_a_page_showing_no_posts_fails_the_check():
    with pytest.raises(Failed, match="shows no posts"):
        shown_posts("<p>No comments yet.</p>", ANCHOR, {}, {})
