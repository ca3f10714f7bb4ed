"""Scenarios on one big discussion: reading its pages, and twenty people posting at once."""

import random
import re
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .discussion import account
from .generate import PlannedThread, blocks_to_markdown, message_blocks, plan_thread
from .measure import Failed, Outcome, latency_ms, stopwatch
from .posting import hammer, reply_through_service, reply_through_view

BIG_THREAD_POSTS = 10_000
REQUESTS = 5  # per page and reader, after one warm-up request
READERS = 40  # registered authors of some of the posts, to make select_related do work
ARTICLE_SLUG = "bench-big-discussion"
# Ten replies a second from one user and one address would trip the anti-spam rate limits,
# which are not what is measured; raised, not switched off, so their checks still run.
GENEROUS_RATES = {"PARLEY_POST_RATE_PER_USER": "1000/60", "PARLEY_POST_RATE_PER_IP": "1000/60"}
POST_ANCHOR = re.compile(r'id="post-\d+"')


def require_urls(*names):
    for name, kwargs in names:
        try:
            reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            raise Failed(f"no url named {name}") from None


def page_status(rng):
    draw = rng.random()
    for status, below in (("pending", 0.01), ("removed", 0.02), ("spam", 0.025)):
        if draw < below:
            return status
    return "deleted" if draw < 0.035 else "published"


def ensure_big_thread(bench):
    """An article with a discussion of 10,000 posts, built once per run through the bulk path."""
    if "big_thread" in bench.state:
        return bench.state["big_thread"]
    from django.contrib.auth.models import Group, Permission

    from articles.models import Article
    from forum.markdown import render_markdown
    from forum.models import Post, Thread
    from forum.trees import bulk_insert_posts

    size = bench.count(BIG_THREAD_POSTS)
    users = [account(f"bench-reader-{n}") for n in range(READERS)]
    moderator = account("bench-moderator")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    moderator.groups.add(*Group.objects.filter(name="Moderators"))
    article = Article.objects.create(
        title="Station partners agree on a crew schedule",
        slug=ARTICLE_SLUG,
        published_at=timezone.now() - timedelta(days=30),
        body="First paragraph of the story.\n\nSecond paragraph of the story.",
    )
    thread = Thread.objects.create(title=article.title, slug=ARTICLE_SLUG, article=article)
    rng = random.Random(2024)
    planned = plan_thread(PlannedThread(0, size), size, 1, rng, statuses=page_status)
    start = timezone.now() - timedelta(days=29)
    posts = {}
    with stopwatch() as watch:
        for plan in sorted(planned, key=lambda plan: plan.number):
            body = blocks_to_markdown(message_blocks(rng))
            author = users[plan.author % READERS] if plan.author % 4 == 0 else None
            posts[plan.number] = Post(
                thread=thread,
                parent=posts.get(plan.parent),
                author=author,
                author_name=author.get_username() if author else f"Guest {plan.author}",
                body=body,
                body_html=render_markdown(body),
                created_at=start + (plan.created_at - PlannedThread(0, size).created_at),
                status=plan.status,
            )
        bulk_insert_posts(thread=thread, posts=list(posts.values()))
    deepest = (
        Post.objects.filter(thread=thread, status="published").order_by("-level", "pk").first()
    )
    built = {
        "thread": thread,
        "article": article,
        "deepest": deepest,
        "users": users,
        "moderator": moderator,
        "posts": size,
        "build_s": round(watch.seconds, 1),
    }
    bench.state["big_thread"] = built
    return built


def thread_page(bench):
    require_urls(
        ("articles:detail", {"slug": "x"}),
        ("forum:thread", {"slug": "x"}),
        ("forum:post", {"pk": 1}),
    )
    big = ensure_big_thread(bench)
    readers = {"anonymous": None, "reader": big["users"][0], "moderator": big["moderator"]}
    pages = _pages(big)
    figures = {
        "posts": big["posts"],
        "build_s": big["build_s"],
        "deepest_level": big["deepest"].level,
    }
    details, worst = [], {"p50_ms": 0, "max_ms": 0, "queries": 0, "kb": 0}
    for reader_name, user in readers.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for page_name, url in pages.items():
            measured = _measure_page(client, url)
            figures[f"{reader_name} {page_name}"] = measured
            details.append(
                f"{reader_name:<9} {page_name:<16} HTTP {measured['status']}, "
                f"p50 {measured['p50_ms']} ms, max {measured['max_ms']} ms, "
                f"{measured['queries']} queries, {measured['kb']} KB, "
                f"{measured['posts_shown']} posts shown"
            )
            for key in worst:
                worst[key] = max(worst[key], measured[key])
    missing = [name for name in ("page-2", "sort-best", "sort-newest") if name not in pages]
    figures["not_offered"] = missing
    line = (
        f"{big['posts']} posts, {len(pages)} pages x {len(readers)} readers: worst p50 "
        f"{worst['p50_ms']} ms, worst max {worst['max_ms']} ms, up to {worst['queries']} queries, "
        f"up to {worst['kb']} KB"
    )
    if missing:
        details.append(f"not offered by the views yet (no link on the page): {', '.join(missing)}")
    return Outcome(figures, line, details)


def _pages(big):
    """The pages to read; page 2 and sort orders only where the first page links to them."""
    article_url = big["article"].get_absolute_url()
    pages = {
        "article": article_url,
        "forum-thread": big["thread"].get_forum_url(),
        "permalink-deep": big["deepest"].get_absolute_url(),
    }
    first_page = Client().get(article_url).content.decode()
    if "page=2" in first_page:
        pages["page-2"] = f"{article_url}?page=2"
    for sort in ("best", "newest"):
        if f"sort={sort}" in first_page:
            pages[f"sort-{sort}"] = f"{article_url}?sort={sort}"
    return pages


def _measure_page(client, url):
    client.get(url)  # warm-up: templates compiled, connection open
    durations, queries = [], 0
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured, stopwatch() as watch:
            response = client.get(url)
        durations.append(watch.seconds)
        queries = max(queries, len(captured.captured_queries))
    latency = latency_ms(durations)
    return {
        "status": response.status_code,
        "p50_ms": latency["p50_ms"],
        "max_ms": latency["max_ms"],
        "queries": queries,
        "kb": round(len(response.content) / 1024),
        # A fast page that shows nothing would measure nothing: count the posts it shows.
        "posts_shown": len(POST_ANCHOR.findall(response.content.decode())),
    }


def concurrent_posting(bench):
    from forum.models import Post
    from forum.trees import tree_faults

    require_urls(("forum:post", {"pk": 1}))
    big = ensure_big_thread(bench)
    thread = big["thread"]
    before = Post.objects.filter(thread=thread).count()
    parents = list(
        Post.objects.filter(thread=thread, status="published").values_list("pk", flat=True)
    )
    figures, details = {}, []
    ways = {"service": reply_through_service}
    try:
        reverse("forum:post-reply", kwargs={"pk": parents[0]})
        ways["view"] = reply_through_view
    except NoReverseMatch:
        details.append("no url named forum:post-reply yet: posted through add_post only")
    for way, reply in ways.items():
        with override_settings(**GENEROUS_RATES):
            result = hammer(reply, thread=thread, parents=parents, users=big["users"])
        figures[way] = result
        details.append(
            f"{way:<8} {result['created']} posts in {result['wall_s']} s = "
            f"{result['posts_per_s']}/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
            f"max {result['max_ms']} ms, errors {result['errors'] or 'none'}"
        )
    after = Post.objects.filter(thread=thread).count()
    created = sum(result["created"] for result in figures.values())
    faults = tree_faults(Post.objects.filter(thread=thread))
    thread.refresh_from_db()
    published = Post.objects.filter(thread=thread, status="published").count()
    figures |= {"posts_added": after - before, "tree_faults": len(faults)}
    figures["post_count_right"] = thread.post_count == published
    if after - before != created:
        raise Failed(f"{created} posts reported created, {after - before} stored")
    line = (
        f"{len(ways)} way(s) x 20 writers x 10 replies: "
        + "; ".join(f"{way} {figures[way]['posts_per_s']}/s" for way in ways)
        + f"; {after - before} stored, tree faults {len(faults)}, "
        f"post count {'right' if figures['post_count_right'] else 'WRONG'}"
    )
    return Outcome(figures, line, details)
