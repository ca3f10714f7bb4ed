"""Two server processes sharing one Redis cache: a write in one shows at once in the other.

The version a fragment is kept under lives in the database, so a process that did not make the
write still reads the new version with the thread and never serves the old page.
"""

import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from config.settings import BASE_DIR
from forum import moderation
from notifications import following
from tests.factories import make_moderator, make_post, make_thread, make_user

# A database of Redis of its own: the other process and this one must meet in it.
SHARED_REDIS_DB = 15

READ_AS_ANOTHER_PROCESS = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from forum.rendering import cache
client = Client()
if len(sys.argv) > 2:
    client.force_login(get_user_model().objects.get(username=sys.argv[2]))
if len(sys.argv) > 3:  # a returning browser: its session and CSRF cookies, as this one sent
    client.cookies.load(sys.argv[3])
response = client.get(sys.argv[1])
print(json.dumps({
    "html": response.content.decode(),
    "cookies": "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items()),
    "misses": cache.stats["misses"],
    "frame_misses": cache.stats["frame_misses"],
    "reader_page_hits": cache.stats["reader_page_hits"],
}))
"""


def database_url():
    """The test database, as the other process finds it by DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


def read_in_another_process(url, redis, username=None, cookies=None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis,
        "DJANGO_ALLOWED_HOSTS": "testserver",  # the host the test client asks for
    }
    result = subprocess.run(
        [sys.executable, "-c", READ_AS_ANOTHER_PROCESS, url, *filter(None, [username, cookies])],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture
def shared_redis(redis_url):
    """This process's cache on the Redis database the other process uses too, emptied."""
    url = f"{redis_url.rsplit('/', 1)[0]}/{SHARED_REDIS_DB}"
    backend = "config.caches.RedisServerCache"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": url}}):
        cache.clear()
        yield url
        cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_removal_in_one_process_shows_at_once_in_another(client, shared_redis):
    thread = make_thread("Stations")
    post = make_post(thread, body="Soon removed by a moderator.")
    url = thread.get_absolute_url()

    before = read_in_another_process(url, shared_redis)
    assert "Soon removed by a moderator." in before["html"]
    assert before["misses"] == 1  # it rendered the page and kept it in Redis

    assert client.get(url).content.decode() == before["html"]  # served from its render

    moderation.remove_post(post=post, moderator=make_moderator("mod"), reason="")
    after = read_in_another_process(url, shared_redis)
    assert "Soon removed by a moderator." not in after["html"]


@pytest.mark.django_db(transaction=True)
def test_a_members_kept_frame_follows_writes_made_in_another_process(shared_redis):
    thread = make_thread("Stations")
    make_post(thread, body="A first thought.")
    carol = make_user("carol")
    url = thread.get_absolute_url()
    read_in_another_process(url, shared_redis, "carol")  # keeps the members' frame in Redis
    again = read_in_another_process(url, shared_redis, "carol")
    assert again["frame_misses"] == 0  # a process of its own found it there
    assert 'id="comment-body"' in again["html"]
    assert "Unfollow" not in again["html"]
    assert "1 comment\n" in again["html"]

    make_post(thread, body="A second thought.")
    replied = read_in_another_process(url, shared_redis, "carol")
    moderation.lock_thread(thread=thread, moderator=make_moderator("mod"), reason="Cooling off")
    following.follow(user=carol, thread=thread)
    locked = read_in_another_process(url, shared_redis, "carol")

    assert "2 comments\n" in replied["html"]
    assert "This discussion is locked: Cooling off" in locked["html"]
    assert 'id="comment-body"' not in locked["html"]
    assert "Unfollow" in locked["html"]


@pytest.mark.django_db(transaction=True)
def test_a_members_kept_page_in_another_process_follows_writes_made_in_this_one(shared_redis):
    thread = make_thread("Stations")
    make_post(thread, body="A first thought.")
    carol = make_user("carol")
    url = thread.get_absolute_url()
    first = read_in_another_process(url, shared_redis, "carol")  # gets the CSRF cookie
    read_in_another_process(url, shared_redis, "carol", first["cookies"])  # keeps carol's page
    again = read_in_another_process(url, shared_redis, "carol", first["cookies"])
    assert again["reader_page_hits"] == 1  # served from Redis, to a process of its own

    make_post(thread, body="A second thought.")
    replied = read_in_another_process(url, shared_redis, "carol", first["cookies"])
    following.follow(user=carol, thread=thread)
    followed = read_in_another_process(url, shared_redis, "carol", first["cookies"])

    assert replied["reader_page_hits"] == 0
    assert "A second thought." in replied["html"]
    assert followed["reader_page_hits"] == 0
    assert "Unfollow" in followed["html"]
