"""The 1,000-post discussion that Parley and its peers are measured on, and the check of a page.

It is planned once from a fixed seed, written as a Disqus export and imported through
`manage.py import_comments`, under an article whose source is the story's original address; the
same records go to django-comments-xtd (bench/xtd.py). A page is checked by finding each post it
shows and the first sentence of that post's text between its anchor and the next one.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .archives import empty_database, generate, require_commands
from .formats import DISQUS_POST_ID
from .generate import Archive, author_name, author_username, blocks_to_markdown
from .measure import Failed, run_manage

DISCUSSION_POSTS = 1_000
MEMBERS = 200  # logged-in readers the throughput run rotates through (issue 10, target 3)
FIRST_SENTENCE = re.compile(r"[^.?!]*[.?!]")
PARLEY_POST = re.compile(r'id="post-(\d+)"')


@dataclass(frozen=True)
class ArchivedPost:
    """One post of the discussion as the archive holds it, for loading elsewhere and checking."""

    number: int
    parent: int | None
    created_at: str
    name: str
    email: str
    text: str  # as its author typed it: Markdown, quotes and links included
    status: str
    first_sentence: str  # text every page that shows the post must contain

    def as_record(self):
        return {
            "number": self.number,
            "parent": self.parent,
            "created_at": self.created_at,
            "name": self.name,
            "email": self.email,
            "text": self.text,
            "status": self.status,
        }


@dataclass
class SharedDiscussion:
    posts: dict[int, ArchivedPost]  # by number
    number_of_post: dict[int, int]  # Parley's post pk -> number
    path: str  # the article page that shows the discussion
    slug: str
    members: list
    moderator: object


def ensure_discussion(bench):
    """The discussion and its readers, imported into an emptied database once per run."""
    if "discussion_1k" in bench.state:
        return bench.state["discussion_1k"]
    require_commands("import_comments")
    from articles.models import Article
    from forum.models import Post, Thread

    archive = Archive(posts=bench.count(DISCUSSION_POSTS), threads=1)
    (story,) = archive.threads
    path, counts, _seconds = generate(bench, "disqus", archive, "bench-discussion")
    empty_database(bench)
    # The import finds the article by the story's original address, as it would on a real site.
    article = Article.objects.create(
        title=story.title,
        slug=story.slug,
        published_at=timezone.now() - timedelta(days=1),
        body="The story itself.\n\nIts second paragraph.",
        source=story.link,
    )
    run_manage("import_comments", path, "--format", "disqus", logs=bench.logs).check(
        "import_comments"
    )
    thread = Thread.objects.filter(article=article).first()
    if thread is None:
        raise Failed("the import did not put the discussion under its article")
    stored = dict(Post.objects.filter(thread=thread).values_list("pk", "external_id"))
    if len(stored) != counts["posts"]:
        raise Failed(f"{counts['posts']} posts in the file, {len(stored)} stored")
    discussion = SharedDiscussion(
        posts=dict(_archived_posts(archive)),
        number_of_post={
            pk: int(external_id.rpartition(":")[2]) - DISQUS_POST_ID
            for pk, external_id in stored.items()
        },
        path=article.get_absolute_url(),
        slug=story.slug,
        members=[account(f"bench-member-{n:03}") for n in range(MEMBERS)],
        moderator=_moderator(),
    )
    bench.state["discussion_1k"] = discussion
    return discussion


def _archived_posts(archive):
    for post, blocks in archive.posts_with_messages():
        paragraph = next(pieces for kind, pieces in blocks if kind == "p")
        yield (
            post.number,
            ArchivedPost(
                number=post.number,
                parent=post.parent,
                created_at=post.created_at.isoformat(),
                name=author_name(post.author) or "Guest",
                email=f"{author_username(post.author) or 'guest'}@example.com",
                text=blocks_to_markdown(blocks),
                status=post.status,
                first_sentence=FIRST_SENTENCE.match(paragraph[0]).group(),
            ),
        )


def account(username):
    """The bench's account of that name, made once per run and shared by the scenarios."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    if (user := users.filter(username=username).first()) is not None:
        return user
    # No password: sessions are made with force_login. A year old: no new-account limits.
    joined = timezone.now() - timedelta(days=365)
    return users.create_user(username, password=None, date_joined=joined)


def _moderator():
    from django.contrib.auth.models import Group, Permission

    moderator = account("bench-moderator")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    moderator.groups.add(*Group.objects.filter(name="Moderators"))
    return moderator


def shown_posts(html, anchor, number_of, posts):
    """Count the posts a page shows; each published one must show its own first sentence.

    anchor finds each shown post's id, number_of maps that id to its number in the archive.
    A post that is not published may show a placeholder instead of its text.
    """
    found = list(anchor.finditer(html))
    if not found:
        raise Failed("the page shows no posts")
    shown = {"posts": len(found), "with_text": 0, "placeholders": 0}
    missing = []
    for here, after in zip(found, [*found[1:], None], strict=True):
        post = posts.get(number_of.get(int(here.group(1))))
        if post is None:
            raise Failed(f"the page shows a post that is not in the discussion: {here.group()}")
        own_part = html[here.end() : after.start() if after else len(html)]
        if post.first_sentence in own_part:
            shown["with_text"] += 1
        elif post.status == "published":
            missing.append(post.number)
        else:
            shown["placeholders"] += 1
    if missing:
        raise Failed(f"{len(missing)} published posts shown without their text, e.g. {missing[0]}")
    return shown
