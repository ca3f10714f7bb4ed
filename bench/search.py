"""Search over the 100,000-post Disqus archive: first-page latency, and indexing's import cost.

The same archive is imported twice into an empty database: once by a site without the search
app (bench/settings_without_search.py, so nothing hears the import's announcement), once by
Parley as it ships, which indexes the import in batches after it commits. Then a fixed mix of
queries is searched as an anonymous reader, first page only, through search.services.search.
"""

import os
from collections import Counter

from .archives import _archive, empty_database, generate, require_commands, require_modules
from .measure import Failed, Outcome, Target, latency_ms, run_manage, stopwatch

ROUNDS = 7  # each query of the mix, after one unmeasured round
LATENCY_GOAL_MS = 50
OVERHEAD_GOAL_PERCENT = 20
STOPWORDS = {"the", "a", "an", "of", "to", "in", "on", "for", "with", "it", "is", "was", "this"}


def search_100k(bench):
    require_modules("search.services", "forum.archives.disqus")
    require_commands("import_comments", "rebuild_search_index")
    archive = _archive(bench, "disqus")
    path, counts, _generated_s = generate(bench, "disqus", archive, "bench-search")
    without = _import(bench, path, settings="bench.settings_without_search")
    with_search = _import(bench, path, settings="config.settings")
    bench.state["imported"] = "disqus"  # the same posts as import-disqus-100k leaves
    indexed = _check_index()
    overhead = round((with_search / without - 1) * 100, 1)
    mix = query_mix()
    timings, found = _run_mix(mix)
    every = [seconds for series in timings.values() for seconds in series]
    overall = latency_ms(every)
    per_query = {raw: latency_ms(series)["p50_ms"] for raw, series in timings.items()}
    figures = {
        "posts_in_file": counts["posts"],
        "documents_indexed": indexed,
        "import_without_search_s": round(without, 1),
        "import_with_search_s": round(with_search, 1),
        "indexing_overhead_percent": overhead,
        "queries": {raw: {"p50_ms": per_query[raw], "results": found[raw]} for raw in mix},
        **overall,
    }
    line = (
        f"{indexed} documents; import {figures['import_without_search_s']} s without search, "
        f"{figures['import_with_search_s']} s with (+{overhead}%); first page of {len(mix)} "
        f"queries x {ROUNDS}: p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms"
    )
    details = [f"{per_query[raw]:>7} ms  {found[raw]:>2} results  {raw}" for raw in mix]
    targets = []
    if bench.scale == 1:
        targets = [
            Target(
                f"issue 14: first page of a search over 100,000 posts, median ({bench.vendor})",
                overall["p50_ms"],
                LATENCY_GOAL_MS,
                " ms",
                at_least=False,
            ),
            Target(
                f"issue 14: what indexing adds to a 100,000-post import ({bench.vendor})",
                overhead,
                OVERHEAD_GOAL_PERCENT,
                "%",
                at_least=False,
            ),
        ]
    return Outcome(figures, line, details=details, targets=targets)


def _import(bench, path, *, settings):
    empty_database(bench)
    previous = os.environ["DJANGO_SETTINGS_MODULE"]
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    try:
        run = run_manage("import_comments", path, "--format", "disqus", logs=bench.logs)
    finally:
        os.environ["DJANGO_SETTINGS_MODULE"] = previous
    run.check(f"import_comments with {settings}")
    return run.seconds


def _check_index():
    from forum.models import Post
    from search.models import Document

    posts = Post.objects.exclude(status=Post.Status.DELETED).count()
    indexed = Document.objects.filter(kind=Document.Kind.POST).count()
    if indexed != posts:
        raise Failed(f"{posts} posts to index, {indexed} indexed after the import")
    return Document.objects.count()


def query_mix():
    """The commonest words of the stored posts, a phrase from one, OR, NOT and each filter."""
    from search.models import Document

    sample = Document.objects.filter(kind=Document.Kind.POST).order_by("pk")[:2000]
    words = Counter(
        word
        for text in sample.values_list("text", flat=True)
        for word in set(text.lower().replace(".", " ").replace("?", " ").split())
        if word.isalpha() and word not in STOPWORDS
    )
    common = [word for word, _count in words.most_common(3)]
    one = sample[1000]
    phrase = " ".join(one.text.split()[2:4]).strip(".?!").lower()
    return [
        *common,
        f"{common[0]} {common[1]}",
        f'"{phrase}"',
        f"{common[0]} OR {common[2]}",
        f"{common[1]} -{common[2]}",
        f'{common[0]} author:"{one.author_name}"',
    ]


def _run_mix(mix):
    from django.contrib.auth.models import AnonymousUser

    from search import query, services

    reader = AnonymousUser()
    timings, found = {raw: [] for raw in mix}, {}
    for round_number in range(ROUNDS + 1):
        for raw in mix:
            with stopwatch() as watch:
                page = services.search(user=reader, query=query.parse(raw))
            if round_number:  # the first round warms the database's caches
                timings[raw].append(watch.seconds)
            found[raw] = len(page.results)
    if not any(found.values()):
        raise Failed("no query of the mix found anything")
    return timings, found
