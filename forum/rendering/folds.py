"""Posts a reader sees folded (by an author they muted): per reader, around the shared HTML.

The shared fragment has a cut on either side of every shown post; for a reader who folds some
authors, the post's opening and closing <details> go there, and nothing for anyone else. Apps
say whose posts a reader folds by registering a function of the user (the notifications' mutes).
"""

from markupsafe import escape

_folders = []  # each: user -> the pks of authors whose posts this reader sees folded

OPENING = (
    '\n  <details class="muted-post">\n    <summary>A comment by {name}, whom you muted: '
    "show it</summary>"
)
CLOSING = "\n  </details>"


def register(folder) -> None:
    if folder not in _folders:
        _folders.append(folder)


def folded_authors(user) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    return frozenset().union(*(folder(user) for folder in _folders))


def folds(user, posts) -> list[tuple[str, str]] | None:
    """Each post's fold opening and closing for this reader, or None where none is folded."""
    authors = folded_authors(user)
    if not authors or not any(post.author_id in authors for post in posts):
        return None
    return [
        (OPENING.format(name=escape(post.author_name)), CLOSING)
        if post.author_id in authors
        else ("", "")
        for post in posts
    ]
