"""A discussion's posts as items.py writes them: what a reader sees of each post."""

from datetime import UTC, datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from forum.rendering.items import TimeFormatter


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
def test_a_posts_time_reads_as_the_date_filter_writes_it_in_the_current_zone(moment, zone):
    with timezone.override(zone):
        local = timezone.localtime(moment)
        expected = (
            f'<time datetime="{local.isoformat()}">{date_filter(local, "j M Y, H:i")}</time>'
        )
        assert TimeFormatter()(moment) == expected


def test_a_posts_month_is_named_in_the_active_language():
    moment = datetime(2024, 5, 17, 12, 30, tzinfo=UTC)
    with translation.override("de"):
        assert ">17 Mai 2024, 12:30<" in TimeFormatter()(moment)
