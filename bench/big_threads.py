"""Discussions of 1,000, 10,000 and 100,000 posts: pages cold, warm and under writes, replies
through the view, and the process's memory (issue 10, targets 4, 5 and 6)."""

import gc
import random
import resource
from datetime import timedelta
from pathlib import Path

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from .discussion import account
from .generate import PlannedThread, blocks_to_markdown, message_blocks, plan_thread
from .measure import Failed, Outcome, Target, latency_ms, stopwatch
from .posting import ReplyFormReader
from .threads import GENEROUS_RATES, POST_ANCHOR, READERS, page_status, require_urls
from .versus import page_render_misses

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
CHUNK = 10_000  # posts built and inserted at a time, so the build never holds 100,000 objects
BODIES = 300  # distinct messages, rendered once each and shared: building is not what is timed
COLD_READS = 5  # per reader and size, every cache cleared before each
WARM_READS = 9  # per reader, after one unmeasured read
WRITES = 10  # per reader: each write is followed by one timed read
REPLIES = 20  # timed replies through the view, per size
COLD_GOALS_S = {"10k": 0.5, "100k": 1.5}
WARM_GOAL_MS = 20
REPLY_RATIO_GOAL = 2
RSS_GOAL_MB = 250


def big_threads(bench):
    require_urls(("articles:detail", {"slug": "x"}), ("forum:post-reply", {"pk": 1}))
    members = [account(f"bench-big-member-{n}") for n in range(WRITES)]
    built = {name: build_discussion(name, bench.count(size)) for name, size in SIZES.items()}
    readers = {"anonymous": Client(), "member": Client()}
    readers["member"].force_login(members[0])
    figures = {name: {"posts": size, "build_s": s} for name, (_, size, s) in built.items()}
    details, targets = [], []
    with override_settings(**GENEROUS_RATES):
        for name in ("10k", "100k"):
            article = built[name][0]
            for reader, client in readers.items():
                cold = timed_reads(client, article.get_absolute_url(), COLD_READS, cold=True)
                figures[name][f"cold {reader}"] = cold
                details.append(_read_line(name, f"cold {reader}", cold))
            if name == "100k":  # memory right after the biggest page was rendered cold
                figures["memory"] = memory_now()
        targets += _cold_targets(figures)
        targets.append(_query_target(figures))
        article, thread = built["100k"][0], built["100k"][0].thread
        for reader, client in readers.items():
            warm = timed_reads(client, article.get_absolute_url(), WARM_READS)
            writing = timed_reads(
                client, article.get_absolute_url(), WRITES, before=writer(thread, members)
            )
            figures["100k"] |= {f"warm {reader}": warm, f"after writes {reader}": writing}
            details.append(_read_line("100k", f"warm {reader}", warm))
            details.append(_read_line("100k", f"after a write {reader}", writing))
            targets += _warm_targets(reader, warm, writing)
        for name in ("1k", "100k"):
            figures[name]["replies"] = replies_through_view(built[name][0].thread, members[-1])
            details.append(_reply_line(name, figures[name]["replies"]))
    targets.append(_reply_target(figures))
    targets.append(_memory_target(figures["memory"]))
    details.append(_memory_line(figures["memory"]))
    sizes = ", ".join(f"{figures[n]['posts']} posts in {figures[n]['build_s']} s" for n in SIZES)
    line = (
        f"{sizes} built; 100k page 1 cold {figures['100k']['cold anonymous']['p50_ms']} ms, warm "
        f"{figures['100k']['warm anonymous']['p50_ms']} ms, after a write "
        f"{figures['100k']['after writes anonymous']['p50_ms']} ms (anonymous); "
        f"RSS {figures['memory']['vm_rss_mb']} MB"
    )
    return Outcome(figures, line, details, targets)


def build_discussion(name, size):
    """An article with a discussion of size posts, inserted CHUNK at a time in bulk."""
    from articles.models import Article
    from forum.markdown import render_markdown
    from forum.models import Post, Thread
    from forum.trees import bulk_insert_posts

    slug = f"bench-big-threads-{name}"
    article = Article.objects.create(
        title=f"A story read by everyone ({name})",
        slug=slug,
        published_at=timezone.now() - timedelta(days=30),
        body="First paragraph of the story.\n\nSecond paragraph of the story.",
    )
    thread = Thread.objects.create(title=article.title, slug=slug, article=article)
    rng = random.Random(size)
    texts = [blocks_to_markdown(message_blocks(rng)) for _ in range(BODIES)]
    bodies = [(text, render_markdown(text)) for text in texts]
    users = [account(f"bench-reader-{n}") for n in range(READERS)]
    planned = plan_thread(PlannedThread(0, size), size, 1, rng, statuses=page_status)
    planned.sort(key=lambda plan: plan.number)  # parents before their replies
    start, first_moment = timezone.now() - timedelta(days=29), PlannedThread(0, size).created_at
    stored = {}  # a planned post's number: its primary key, once inserted
    with stopwatch() as watch:
        for first in range(0, size, CHUNK):
            chunk = {}
            for plan in planned[first : first + CHUNK]:
                parent = chunk.get(plan.parent)
                if parent is None and plan.parent is not None:
                    parent = Post(pk=stored[plan.parent], thread=thread)
                author = users[plan.author % READERS] if plan.author % 4 == 0 else None
                body, body_html = bodies[plan.number % BODIES]
                chunk[plan.number] = Post(
                    thread=thread,
                    parent=parent,
                    author=author,
                    author_name=author.get_username() if author else f"Guest {plan.author}",
                    body=body,
                    body_html=body_html,
                    created_at=start + (plan.created_at - first_moment),
                    status=plan.status,
                )
            bulk_insert_posts(thread=thread, posts=list(chunk.values()))
            stored |= {number: post.pk for number, post in chunk.items()}
            thread.refresh_from_db()
    article.refresh_from_db()
    return article, size, round(watch.seconds, 1)


def timed_reads(client, url, count, *, cold=False, before=None):
    """Time count reads of url: after clearing every cache (cold), or after before() (a write)."""
    if not cold and before is None:
        client.get(url)  # warm-up: the page and its trees cached
    durations, queries, misses = [], 0, 0
    for _ in range(count):
        if before is not None:
            before()
        if cold:
            for cache in caches.all():
                cache.clear()
        before_misses = page_render_misses() or 0
        with CaptureQueriesContext(connection) as captured, stopwatch() as watch:
            response = client.get(url)
        if response.status_code != 200:
            raise Failed(f"{url} answered HTTP {response.status_code}")
        durations.append(watch.seconds)
        queries = max(queries, len(captured.captured_queries))
        misses += (page_render_misses() or 0) - before_misses
    html = response.content.decode()
    if not POST_ANCHOR.search(html):
        raise Failed(f"{url} shows no post")
    return {
        **latency_ms(durations),
        "reads": count,
        "queries": queries,
        "render_misses": misses,  # forum.rendering.cache.stats: a cold read must render
        "kb": round(len(response.content) / 1024),
        "posts_shown": len(POST_ANCHOR.findall(html)),
    }


def writer(thread, members):
    """A function that casts a vote or adds a reply on page 1's posts, in turn, each call."""
    from forum.models import Post
    from forum.services import post_reply
    from forum.votes import cast_vote

    page_one = Client().get(thread.article.get_absolute_url()).content.decode()
    shown = [int(anchor[9:-1]) for anchor in POST_ANCHOR.findall(page_one)]
    targets = list(
        Post.objects.filter(pk__in=shown, status=Post.Status.PUBLISHED, level__lt=8).order_by("pk")
    )
    if not targets:
        raise Failed("page 1 of the 100k discussion shows no published post to vote on")
    rng, turns = random.Random(len(targets)), iter(range(WRITES * 2))

    def write():
        turn, post, member = next(turns), rng.choice(targets), rng.choice(members)
        if turn % 2:
            post_reply(thread=thread, parent=post, author=member, body=f"Reply {turn} arrives.")
        else:
            cast_vote(post=post, voter=member, value=1)

    return write


def replies_through_view(thread, member):
    """REPLIES replies sent through the reply view by a member; only the sending is timed."""
    from forum.models import Post

    client = Client()
    client.force_login(member)
    parents = list(
        Post.objects.filter(thread=thread, status=Post.Status.PUBLISHED, level__lt=8)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    durations = []
    for number, parent in enumerate(random.Random(len(parents)).sample(parents, REPLIES)):
        url = reverse("forum:post-reply", kwargs={"pk": parent})
        page = client.get(url)
        form = ReplyFormReader.read(page.content.decode())
        if page.status_code != 200 or form.text_field is None:
            raise Failed(f"the reply page {url} answered HTTP {page.status_code} with no form")
        data = {**form.hidden, **form.submit, form.text_field: f"Reply {number} through the view."}
        with stopwatch() as watch:
            response = client.post(form.action or url, data)
        if response.status_code not in (302, 303):
            raise Failed(f"replying at {url} answered HTTP {response.status_code}")
        durations.append(watch.seconds)
    return {**latency_ms(durations), "replies": REPLIES}


def memory_now():
    """This process's resident set now (VmRSS) and at its peak (ru_maxrss), in MB."""
    gc.collect()
    status = Path("/proc/self/status").read_text()
    rss_kb = next(int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmRSS:")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: kilobytes
    return {"vm_rss_mb": round(rss_kb / 1024, 1), "peak_rss_mb": round(peak_kb / 1024, 1)}


def _cold_targets(figures):
    return [
        Target(
            f"issue 10, target 4: {name} discussion's page 1 cold, {reader}",
            round(figures[name][f"cold {reader}"]["p50_ms"] / 1000, 3),
            goal,
            " s",
            at_least=False,
            note=f"{figures[name]['posts']} posts, p50 of {COLD_READS}",
        )
        for name, goal in COLD_GOALS_S.items()
        for reader in ("anonymous", "member")
    ]


def _query_target(figures):
    counts = {
        name: max(figures[name][f"cold {reader}"]["queries"] for reader in ("anonymous", "member"))
        for name in COLD_GOALS_S
    }
    return Target(
        "issue 10, target 4: queries of a cold page 1 at 100k, no more than at 10k",
        counts["100k"],
        counts["10k"],
        " queries",
        at_least=False,
        note=f"{counts['10k']} at 10k",
    )


def _warm_targets(reader, warm, writing):
    return [
        Target(
            f"issue 10, target 4: 100k discussion's page 1 warm, {reader}",
            warm["p50_ms"],
            WARM_GOAL_MS,
            " ms",
            at_least=False,
        ),
        Target(
            f"issue 10, target 4: 100k page 1 right after a vote or reply, {reader}",
            writing["p50_ms"],
            WARM_GOAL_MS,
            " ms",
            at_least=False,
            note=f"p50 of {WRITES} reads, each after one write",
        ),
    ]


def _reply_target(figures):
    small, big = figures["1k"]["replies"]["p95_ms"], figures["100k"]["replies"]["p95_ms"]
    return Target(
        "issue 10, target 5: reply p95 through the view at 100k, as a multiple of 1k's",
        round(big / small, 2),
        REPLY_RATIO_GOAL,
        "x",
        at_least=False,
        note=f"{big} ms against {small} ms",
    )


def _memory_target(memory):
    return Target(
        "issue 10, target 6: benchmark process's RSS (VmRSS) after the 100k page 1 cold",
        memory["vm_rss_mb"],
        RSS_GOAL_MB,
        " MB",
        at_least=False,
        note=f"peak ru_maxrss {memory['peak_rss_mb']} MB, building included",
    )


def _read_line(name, what, measured):
    return (
        f"{name:<4} {what:<24} p50 {measured['p50_ms']} ms, max {measured['max_ms']} ms, "
        f"{measured['queries']} queries, {measured['render_misses']} render misses in "
        f"{measured['reads']} reads, {measured['kb']} KB, {measured['posts_shown']} posts shown"
    )


def _reply_line(name, replies):
    return (
        f"{name:<4} {replies['replies']} replies through the view: p50 {replies['p50_ms']} ms, "
        f"p95 {replies['p95_ms']} ms, max {replies['max_ms']} ms"
    )


def _memory_line(memory):
    return (
        f"memory after the 100k page cold: VmRSS {memory['vm_rss_mb']} MB "
        f"(/proc/self/status), peak {memory['peak_rss_mb']} MB (ru_maxrss, the build included)"
    )
