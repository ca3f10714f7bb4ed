"""The fuzz suite's judge itself: what makes a request fail it, shown on views made to fail."""

import pytest
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.test import override_settings
from django.urls import include, path, reverse

from forum.models import Thread

from .probe import Attack, attack


def refuses_after_writing(request):
    Thread.objects.create(title="Left behind", slug="left-behind")
    return HttpResponseForbidden()


def refuses_after_undoing_its_write(request):
    with transaction.atomic():
        Thread.objects.create(title="Undone", slug="undone")
        transaction.set_rollback(True)
    return HttpResponseForbidden()


def writes_and_succeeds(request):
    Thread.objects.create(title="Started", slug="started")
    return HttpResponse()


def answers_500(request):
    return HttpResponseServerError()


def raises(request):
    raise ValueError("a view's own error")


urlpatterns = [
    path("refuses-after-writing/", refuses_after_writing),
    path("refuses-after-undoing/", refuses_after_undoing_its_write),
    path("writes/", writes_and_succeeds),
    path("500/", answers_500),
    path("raises/", raises),
    path("", include("config.urls")),  # for the error pages' links
]


@pytest.fixture(autouse=True)
def views_made_to_fail():
    with override_settings(ROOT_URLCONF=__name__):
        yield


def send(site, path, *, role="anonymous", method="POST"):
    return attack(site.scene, site.baseline, Attack(role, method, path))


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("member", 403), ("moderator", 200)]
)
def test_each_visitor_is_who_the_scene_says_at_every_request(site, role, status):
    # Sessions must outlive the cache that each request clears.
    for _ in range(2):
        assert (
            send(site, reverse("moderation:queue"), role=role, method="GET").status_code == status
        )


def test_a_refused_request_that_wrote_fails(site):
    with pytest.raises(AssertionError, match=r"answered 403 but wrote to \['forum.Thread'\]"):
        send(site, "/refuses-after-writing/")


def test_a_refused_request_whose_write_was_undone_passes(site):
    assert send(site, "/refuses-after-undoing/").status_code == 403


def test_a_successful_request_may_write_and_its_write_is_rolled_back(site):
    assert send(site, "/writes/").status_code == 200
    assert not Thread.objects.filter(slug="started").exists()


def test_an_answer_of_500_fails(site):
    with pytest.raises(AssertionError, match="answered 500"):
        send(site, "/500/")


def test_a_views_exception_fails_with_its_own_traceback(site):
    with pytest.raises(ValueError, match="a view's own error"):
        send(site, "/raises/")
