"""@username in a post: found outside code and links, matched to registered accounts only.

Markdown decides what is code: a mention inside a code span or block is text. Imported posts'
author names are not accounts, and imported bodies are never searched for mentions.
"""

import re
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.token import Token

# After a space or punctuation, never inside a word or an address (me@example.org); a name
# may hold dots, but one ending a sentence is punctuation.
MENTION = re.compile(r"(?<![\w@./+-])@([\w.+-]*[\w+-])")
MAX_CANDIDATES = 50  # distinct names looked up per post: bounds the query, not the post


@cache
def _parser():
    return MarkdownIt("commonmark", {"html": False}).disable(["html_block", "html_inline"])


def _text_tokens(tokens):
    """The text tokens outside links; code spans and blocks are other token types."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        in_link = 0
        for child in token.children:
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            elif child.type == "text" and not in_link:
                yield child


def candidates(source: str) -> list[str]:
    """The distinct names written as @name outside code and links, in order."""
    found = {}
    for token in _text_tokens(_parser().parse(source)):
        for match in MENTION.finditer(token.content):
            found.setdefault(match.group(1).lower(), match.group(1))
    return list(found.values())[:MAX_CANDIDATES]


def registered(names) -> dict[str, str]:
    """Of these names, the registered ones: lower-cased name -> the account's username."""
    lowered = {name.lower() for name in names}
    if not lowered:
        return {}
    users = get_user_model().objects.annotate(lowered=Lower("username"))
    found = users.filter(lowered__in=lowered, is_active=True).values_list("username", flat=True)
    return {username.lower(): username for username in found}


def mentioned_users(source: str):
    """The active accounts a post's source mentions, in the order first mentioned."""
    order = [name.lower() for name in candidates(source)]
    users = get_user_model().objects.annotate(lowered=Lower("username"))
    found = {user.lowered: user for user in users.filter(lowered__in=order, is_active=True)}
    return [found[name] for name in order if name in found]


def link_mentions(state) -> None:
    """A markdown-it core rule: each @name of a registered account becomes its profile link."""
    texts = list(_text_tokens(state.tokens))
    names = {m.group(1) for token in texts for m in MENTION.finditer(token.content)}
    accounts = registered(list(names)[:MAX_CANDIDATES])
    if not accounts:
        return
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = list(_linked(token.children, accounts))


def _linked(children, accounts):
    in_link = 0
    for child in children:
        in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        if child.type != "text" or in_link:
            yield child
            continue
        text, start = child.content, 0
        for match in MENTION.finditer(text):
            username = accounts.get(match.group(1).lower())
            if username is None:
                continue
            yield _text(text[start : match.start()])
            link = Token("link_open", "a", 1)
            link.attrs = {"href": reverse("accounts:profile", kwargs={"username": username})}
            yield link
            yield _text(match.group(0))
            yield Token("link_close", "a", -1)
            start = match.end()
        yield _text(text[start:])


def _text(content):
    token = Token("text", "", 0)
    token.content = content
    return token
