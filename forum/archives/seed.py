"""The seed front end: the saved article page and its flat list of comments, as import records.

The page is plain text: the title, the lead-image caption with its credit, the article's
paragraphs, then each comment as a "  • Author" line followed by its paragraphs indented by four
spaces. Who answers whom is read from the text: a comment that opens by quoting an earlier one
answers it (found here); every other reply is a reader's decision, kept in replies.toml.

Only " " and "\n" are ever stripped: str.strip(), str.split() and the regex class \\s also eat
the non-breaking spaces the article keeps on purpose.
"""

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

from .records import ArticleRecord, DiscussionRecord, PostRecord

SOURCE = "seed"
SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"
DECISIONS_FILE = "replies.toml"
COMMENT_MARKER = "  • "
COMMENT_INDENT = "    "
TOP_LEVEL = "top level"
CREDIT = re.compile(r"(?P<caption>.*?) *\(Credit: (?P<credit>[^)]+)\)", re.DOTALL)
QUOTE_OPENERS = ("“", '"')
QUOTE_CLOSERS = ("”", '"')
ELLIPSES = ("…", "...")
# The page carries no dates: these are assigned, and said so in fixtures/README.md.
PUBLISHED_AT = datetime(2019, 3, 5, 12, 0, tzinfo=UTC)
FIRST_COMMENT_AFTER = timedelta(hours=1)
BETWEEN_COMMENTS = timedelta(minutes=17)


class SeedFormatError(ValueError):
    pass


@dataclass(frozen=True)
class Comment:
    number: int
    author: str
    paragraphs: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ReplyDecision:
    comment: int
    author: str
    parent: int | None
    reason: str


@dataclass(frozen=True)
class Page:
    title: str
    caption: str
    credit: str
    paragraphs: tuple[str, ...]
    comments: tuple[Comment, ...]


def read_seed(directory=SEED_DIR):
    """Parse the seed page in directory with the reader's decisions beside it."""
    pages = sorted(Path(directory).glob("*.txt"))
    if len(pages) != 1:
        # Comment ids are "seed:<number on the page>", so a second page would collide.
        raise SeedFormatError(f"expected one seed page in {directory}, found {len(pages)}")
    decisions = read_decisions(Path(directory) / DECISIONS_FILE)
    return parse_seed(pages[0].read_text(encoding="utf-8"), decisions=decisions)


def read_decisions(path):
    """The reader's reply decisions from a TOML file: one [[reply]] table per comment."""
    with open(path, "rb") as file:
        entries = tomllib.load(file).get("reply", [])
    decisions = []
    for entry in entries:
        missing = {"comment", "author", "parent", "reason"} - entry.keys()
        if missing:
            raise SeedFormatError(f"{path}: entry {entry} lacks {', '.join(sorted(missing))}")
        if not isinstance(entry["comment"], int):
            raise SeedFormatError(f"{path}: comment must be a number: {entry}")
        parent = entry["parent"]
        if parent != TOP_LEVEL and not isinstance(parent, int):
            raise SeedFormatError(f'{path}: parent must be a number or "{TOP_LEVEL}": {entry}')
        decisions.append(
            ReplyDecision(
                comment=entry["comment"],
                author=entry["author"],
                parent=None if parent == TOP_LEVEL else parent,
                reason=entry["reason"],
            )
        )
    return decisions


def parse_seed(text, *, decisions=()):
    """Yield the page's discussion (carrying its article), then one post per comment."""
    page = split_page(text)
    parents, opens_with_quote = find_parents(page.comments, decisions)
    slug = slugify(page.title)
    discussion_id = f"{SOURCE}:{slug}"
    yield DiscussionRecord(
        external_id=discussion_id,
        title=page.title,
        created_at=PUBLISHED_AT,
        slug=slug,
        article=ArticleRecord(
            title=page.title,
            slug=slug,
            published_at=PUBLISHED_AT,
            body="\n\n".join(page.paragraphs),
            lead_image_caption=page.caption,
            lead_image_credit=page.credit,
        ),
    )
    for comment in page.comments:
        parent = parents[comment.number]
        yield PostRecord(
            external_id=f"{SOURCE}:{comment.number}",
            discussion_external_id=discussion_id,
            parent_external_id=None if parent is None else f"{SOURCE}:{parent}",
            author_name=comment.author,
            created_at=comment_time(comment.number),
            status="published",
            body=comment_markdown(comment, quotes_parent=comment.number in opens_with_quote),
        )


def comment_time(number):
    return PUBLISHED_AT + FIRST_COMMENT_AFTER + (number - 1) * BETWEEN_COMMENTS


def comment_markdown(comment, *, quotes_parent):
    paragraphs = list(comment.paragraphs)
    if quotes_parent:
        paragraphs[0] = "\n".join(f"> {line}" for line in paragraphs[0].split("\n"))
    return "\n\n".join(paragraphs)


def split_page(text):
    """Split the page into title, caption, credit, article paragraphs and comments."""
    article, comments = [], []
    for kind, value, line in _blocks(text):
        if kind == "author":
            comments.append(Comment(len(comments) + 1, value, (), line))
        elif comments:
            comments[-1] = _with_paragraph(comments[-1], value)
        else:
            article.append(value)
    if not article:
        raise SeedFormatError("the page has no title")
    if empty := [comment for comment in comments if not comment.paragraphs]:
        raise SeedFormatError(f"line {empty[0].line}: the comment by {empty[0].author} is empty")
    title, *paragraphs = article
    caption, credit = "", ""
    if paragraphs and (match := CREDIT.fullmatch(paragraphs[0])):
        caption, credit = match["caption"], match["credit"]
        paragraphs = paragraphs[1:]
    return Page(title, caption, credit, tuple(paragraphs), tuple(comments))


def _with_paragraph(comment, paragraph):
    return Comment(comment.number, comment.author, (*comment.paragraphs, paragraph), comment.line)


def _blocks(text):
    """Yield ("author", name, line) per comment header and ("text", paragraph, line) otherwise.

    Comment paragraphs lose their four-space indentation, or Markdown would read code blocks.
    """
    in_comments, lines, start = False, [], 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(COMMENT_MARKER) or not line.strip(" "):
            if lines:
                yield "text", "\n".join(lines), start
            lines = []
        if line.startswith(COMMENT_MARKER):
            in_comments = True
            author = line.removeprefix(COMMENT_MARKER).strip(" ")
            if not author:
                raise SeedFormatError(f"line {number}: a comment without an author")
            yield "author", author, number
        elif line.strip(" "):
            if in_comments and not line.startswith(COMMENT_INDENT):
                raise SeedFormatError(f"line {number}: comment text must be indented by 4 spaces")
            if not lines:
                start = number
            lines.append(line.removeprefix(COMMENT_INDENT) if in_comments else line)
    if lines:
        yield "text", "\n".join(lines), start


def find_parents(comments, decisions):
    """Return each comment's parent number (None: top level) and the comments that quote it."""
    parents = {comment.number: None for comment in comments}
    opens_with_quote = set()
    for comment in comments:
        quoted = opening_quotation(comment.paragraphs[0])
        if quoted is None:
            continue
        earlier = reversed(comments[: comment.number - 1])
        source = next((c for c in earlier if quoted in "\n\n".join(c.paragraphs)), None)
        if source is not None:
            parents[comment.number] = source.number
            opens_with_quote.add(comment.number)
    decided = set()
    for decision in decisions:
        _check_decision(decision, comments, opens_with_quote)
        if decision.comment in decided:
            raise SeedFormatError(f"comment {decision.comment} has two decisions")
        decided.add(decision.comment)
        parents[decision.comment] = decision.parent
    return parents, opens_with_quote


def opening_quotation(paragraph):
    """The text quoted when the whole paragraph is one quotation, without ellipses, else None."""
    if len(paragraph) < 2 or paragraph[0] not in QUOTE_OPENERS:
        return None
    if paragraph[-1] not in QUOTE_CLOSERS:
        return None
    quoted = paragraph[1:-1].strip(" ")
    for ellipsis in ELLIPSES:
        quoted = quoted.removeprefix(ellipsis).strip(" ").removesuffix(ellipsis).strip(" ")
    return quoted or None


def _check_decision(decision, comments, opens_with_quote):
    number = decision.comment
    if not 1 <= number <= len(comments):
        raise SeedFormatError(f"decision for comment {number}: the page has {len(comments)}")
    comment = comments[number - 1]
    if comment.author != decision.author:
        raise SeedFormatError(
            f"decision for comment {number} names {decision.author}, but it is by {comment.author}"
        )
    if number in opens_with_quote:
        raise SeedFormatError(
            f"comment {number} opens by quoting the comment it answers; drop its decision"
        )
    if decision.parent is not None and not 1 <= decision.parent < number:
        raise SeedFormatError(f"comment {number} can only answer an earlier comment")
