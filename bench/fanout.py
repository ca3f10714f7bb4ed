"""A reply in a discussion with 10,000 followers: the reply's latency beside one without
followers, and the fan-out task's time (issue 12, "How it runs")."""

import time

from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from .big_threads import REPLIES, replies_through_view
from .discussion import account
from .measure import Failed, Outcome, Target, latency_ms, stopwatch
from .threads import GENEROUS_RATES, require_urls

FOLLOWERS = 10_000
BASE_POSTS = 30  # published posts to reply to, more than the REPLIES sampled
REPLY_RATIO_GOAL = 2  # the yardstick of issue 10's target 5: a reply at most twice as slow


def notify_fanout(bench):
    require_urls(("forum:post-reply", {"pk": 1}), ("notifications:inbox", {}))
    from notifications.models import Follow, Notification

    followers = bench.count(FOLLOWERS)
    quiet, followed = discussion("without followers"), discussion("with followers")
    with stopwatch() as build:
        users = make_followers(followers)
        Follow.objects.bulk_create(
            [Follow(user_id=pk, thread=followed) for pk in users], batch_size=5000
        )
    member = account("bench-fanout-member")
    figures = {"followers": followers, "build_s": round(build.seconds, 1)}
    drain_tasks()  # nothing of the build is left for the timed tasks
    with override_settings(**GENEROUS_RATES):
        for name, thread in (("without followers", quiet), ("with followers", followed)):
            figures[f"reply {name}"] = replies_through_view(thread, member)
            tasks = drain_tasks()
            figures[f"fan-out {name}"] = {**latency_ms(tasks), "tasks": len(tasks)}
    notified = Notification.objects.filter(post__thread=followed).count()
    if notified != followers * REPLIES:
        raise Failed(f"{notified} notifications for {REPLIES} replies to {followers} followers")
    figures["notifications_written"] = notified
    return outcome(figures)


def discussion(title):
    from forum import services
    from forum.models import Thread

    thread = Thread.objects.create(
        title=f"Fan-out, {title}", slug=f"bench-fanout-{time.time_ns()}"
    )
    for n in range(BASE_POSTS):
        services.add_post(thread=thread, author_name="Reader", body=f"Post {n} to answer.")
    return thread


def make_followers(count):
    """count accounts, stored in bulk (no password: nobody logs in as them); their pks."""
    users = get_user_model().objects
    prefix = f"bench-follower-{time.time_ns()}-"
    users.bulk_create(
        [users.model(username=f"{prefix}{n}", password="!") for n in range(count)],
        batch_size=5000,
    )
    return list(users.filter(username__startswith=prefix).values_list("pk", flat=True))


def drain_tasks():
    """Run every queued task as the database worker does; each task's time, in seconds."""
    from notifications.worker import run_next_task

    durations = []
    while True:
        with stopwatch() as watch:
            task = run_next_task("bench")
        if task is None:
            return durations
        if task.status != "SUCCESSFUL":
            raise Failed(f"task {task.task_path} ended {task.status}")
        durations.append(watch.seconds)


def outcome(figures):
    quiet, busy = figures["reply without followers"], figures["reply with followers"]
    ratio = round(busy["p95_ms"] / quiet["p95_ms"], 2)
    figures["reply_p95_ratio"] = ratio
    fan = figures["fan-out with followers"]
    line = (
        f"reply p95 {busy['p95_ms']} ms with {figures['followers']} followers, "
        f"{quiet['p95_ms']} ms without ({ratio}x); fan-out task p50 {fan['p50_ms']} ms, "
        f"max {fan['max_ms']} ms"
    )
    details = [
        f"{name:<28} p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms, max {f['max_ms']} ms"
        for name, f in figures.items()
        if isinstance(f, dict)
    ]
    target = Target(
        "issue 12: a reply with 10k followers, p95 beside one without",
        ratio,
        REPLY_RATIO_GOAL,
        "x",
        at_least=False,
        note=f"{figures['followers']} followers, {REPLIES} replies each",
    )
    return Outcome(figures, line, details, [target])
