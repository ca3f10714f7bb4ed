"""rebuild_search_index indexes everything again, a batch at a time."""

import pytest
from django.core.management import call_command

from forum.models import Post
from search.models import Document
from tests.factories import make_post, make_thread

pytestmark = pytest.mark.django_db


def test_rebuild_indexes_what_was_never_announced(find, settings, capsys):
    settings.PARLEY_SEARCH_INDEX_BATCH_SIZE = 2  # several batches even for a few posts
    thread = make_thread("Unannounced")  # written outside any commit the index hears of
    for n in range(5):
        make_post(thread, body=f"Hyperion moon {n}.")
    make_post(thread, body="Hyperion gone.", status=Post.Status.DELETED)
    assert find("hyperion") == []
    call_command("rebuild_search_index")
    assert len(find("hyperion")) == 5
    assert Document.objects.filter(kind=Document.Kind.POST).count() == 5
    assert "Indexed 5 posts." in capsys.readouterr().out


def test_rebuild_drops_what_no_longer_exists(discussion, find):
    post = discussion("Phoebe orbit.")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DELETED, body="", body_html="")
    call_command("rebuild_search_index")
    assert find("phoebe", user=None) == []
    assert not Document.objects.filter(post=post).exists()
