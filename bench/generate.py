"""Synthetic comment archives for the benchmark, the same for every run of a given seed.

A plan says which threads there are, how many posts each holds and how they nest; writers turn
it into a Disqus XML export or a WordPress WXR file, streaming, so a 200 MB file never sits in
memory. Messages are drawn while writing, from the same seeded generator, in file order.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape, quoteattr


def _words(text):
    return tuple(text.split())


WORDS = _words(
    "orbit station launch module crew rocket engine booster docking hatch solar panel "
    "budget agency mission payload capsule cargo test flight delay schedule contract "
    "partner treaty cooperation science experiment microgravity research lab telescope "
    "moon mars asteroid satellite debris reentry heat shield parachute landing pad "
    "the a an of to in on for with about from that this it is was will would could "
    "not really think agree disagree probably never always maybe honestly actually "
    "cost years decade politics private public funding congress launch window thrust "
    "fuel oxygen tank valve leak pressure sensor software update data signal relay"
)
FIRST_NAMES = _words(
    "Ada Grace Alan Kirk Nadia Omar Priya Chen Lena Marco Ivan Sofia Yuki Amara Tomas "
    "Elena Ravi Hana Diego Mei Jonas Fatima Lucas Ingrid Kofi Aiko Pedro Zara Felix Noor"
)
LAST_NAMES = _words(
    "Lovelace Hopper Turing Novak Haddad Sharma Wang Berg Rossi Petrov Silva Tanaka Okafor "
    "Dvorak Ivanova Patel Kim Garcia Li Larsen Khan Moreau Nilsson Mensah Sato Costa Ali"
)
LINK_HOSTS = ("news.example.com", "spaceflight.example.org", "en.wikipedia.org", "nasa.gov")

ROOT_SHARE = 0.18  # share of posts that start a new tree; the rest reply to a recent post
MAX_DEPTH = 14  # replies nest "several deep", and a few chains go deeper
REPLY_BEFORE_PARENT = 0.02  # share of replies listed before their parent, as exports do
EPOCH = datetime(2013, 1, 7, 9, 0, tzinfo=UTC)
SITE = "https://news.example.com"


@dataclass
class PlannedPost:
    number: int  # unique in the archive, from 1
    thread: int
    parent: int | None
    created_at: datetime
    author: int  # index into the author pool; -1 is anonymous
    status: str  # "published", "pending", "removed", "spam" or "deleted"


@dataclass(frozen=True)
class PlannedThread:
    number: int
    size: int

    @property
    def slug(self):
        return f"bench-story-{self.number}"

    @property
    def title(self):
        return f"Bench story {self.number}: station cooperation update"

    @property
    def created_at(self):
        return EPOCH + timedelta(hours=6 * self.number)

    @property
    def link(self):
        """Where the story was first published, as an export names it."""
        return f"{SITE}/{self.created_at:%Y/%m}/{self.slug}/"


def author_name(index):
    if index < 0:
        return ""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[index // len(FIRST_NAMES) % len(LAST_NAMES)]
    return f"{first} {last}"


def author_username(index):
    return "" if index < 0 else author_name(index).lower().replace(" ", "_") + str(index)


def thread_sizes(posts, threads, rng):
    """Split posts over threads unevenly, as real sites do: most small, a few huge."""
    weights = [rng.paretovariate(1.3) for _ in range(threads)]
    cap = max(1, posts // 20)
    sizes = [min(cap, max(1, int(posts * weight / sum(weights)))) for weight in weights]
    index = 0
    while sum(sizes) != posts:  # spread the rounding error one post at a time
        step = 1 if sum(sizes) < posts else -1
        if step > 0 or sizes[index % threads] > 1:
            sizes[index % threads] += step
        index += 1
    return sizes


def plan_thread(thread, size, first_number, rng, *, statuses):
    """A thread's posts in file order: trees several deep, a few replies before parents."""
    posts, depth = [], {}
    moment = thread.created_at
    for offset in range(size):
        number = first_number + offset
        parent = None
        if offset and rng.random() > ROOT_SHARE:
            back = min(offset - 1, int(rng.expovariate(0.5)))
            parent = posts[offset - 1 - back].number
            while depth[parent] >= MAX_DEPTH:
                parent = posts[parent - first_number].parent
        depth[number] = 0 if parent is None else depth[parent] + 1
        moment += timedelta(seconds=int(rng.expovariate(1 / 900)) + 1)
        author = -1 if rng.random() < 0.04 else rng.randrange(3000)
        posts.append(PlannedPost(number, thread.number, parent, moment, author, statuses(rng)))
    position = {post.number: index for index, post in enumerate(posts)}
    for index in range(size):
        post = posts[index]
        if post.parent is not None and rng.random() < REPLY_BEFORE_PARENT:
            above = position[post.parent]
            if above < index:
                posts[index], posts[above] = posts[above], post
                position[post.number], position[post.parent] = above, index
    return posts


def disqus_status(rng):
    draw = rng.random()
    return "deleted" if draw < 0.01 else "spam" if draw < 0.015 else "published"


def wxr_status(rng):
    draw = rng.random()
    for status, below in (("pending", 0.01), ("spam", 0.02), ("removed", 0.025)):
        if draw < below:
            return status
    return "published"


class Archive:
    """The plan of one archive: threads, their posts, and messages message_factor times long."""

    def __init__(self, *, posts, threads, seed=2013, message_factor=1.0, statuses=disqus_status):
        self.seed, self.message_factor, self.statuses = seed, message_factor, statuses
        self.threads = [
            PlannedThread(number, size)
            for number, size in enumerate(
                thread_sizes(posts, threads, random.Random(seed)), start=1
            )
        ]

    def posts_by_thread(self):
        """Yield each thread with its planned posts, and a generator for their messages."""
        rng = random.Random(self.seed + 1)
        first = 1
        for thread in self.threads:
            yield thread, plan_thread(thread, thread.size, first, rng, statuses=self.statuses), rng
            first += thread.size

    def message(self, rng):
        return message_blocks(rng, self.message_factor)

    def posts_with_messages(self):
        """Yield each planned post with its message, drawn in the order of a Disqus file."""
        for _thread, posts, rng in self.posts_by_thread():
            for post in posts:
                yield post, self.message(rng)


def message_blocks(rng, factor=1.0):
    """A comment as blocks: ("p", pieces) or ("quote", pieces); a piece is text or (text, url)."""
    blocks = []
    if rng.random() < 0.2:
        blocks.append(("quote", [sentence(rng)]))
    for _ in range(max(1, round(rng.randint(1, 3) * factor))):
        pieces = [" ".join(sentence(rng) for _ in range(rng.randint(1, 2)))]
        if rng.random() < 0.15:
            host = rng.choice(LINK_HOSTS)
            pieces += [" See ", ("this report", f"https://{host}/story/{rng.randrange(10**6)}")]
        blocks.append(("p", pieces))
    return blocks


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + rng.choice(".?!.")


def inline_html(pieces):
    return "".join(
        escape(piece)
        if isinstance(piece, str)
        else f"<a href={quoteattr(piece[1])}>{escape(piece[0])}</a>"
        for piece in pieces
    )


def blocks_to_html(blocks):
    tags = {"p": "p", "quote": "blockquote"}
    return "".join(
        f"<{tags[kind]}>{inline_html(pieces)}</{tags[kind]}>" for kind, pieces in blocks
    )


def blocks_to_markdown(blocks):
    parts = []
    for kind, pieces in blocks:
        text = "".join(
            piece if isinstance(piece, str) else f"[{piece[0]}]({piece[1]})" for piece in pieces
        )
        parts.append(f"> {text}" if kind == "quote" else text)
    return "\n\n".join(parts)
