"""The badges beside an author's name: only where they tell something.

Two do: "moderator", on the posts of an account that may moderate (as can_moderate decides), and
"OP", on every post of the discussion's starter, the account that opened it in the forum
(Thread.starter_pk: matched by account, never by a name, which anyone may also write under).
Both are in the shared HTML, so the cache hears of their changes: a tree's key carries the
starter (tree_key), and forum.moderators announces an account joining or leaving the moderators.
"""

from dataclasses import dataclass

from ..moderators import moderators_among

MODERATOR = '\n    <span class="badge badge-role">moderator</span>'
STARTER = '\n    <abbr class="badge badge-role" title="started this discussion">OP</abbr>'


@dataclass(frozen=True)
class Badges:
    """Who among the authors of the posts being rendered wears which badge."""

    starter_pk: int | None = None
    moderator_pks: frozenset[int] = frozenset()

    @classmethod
    def of(cls, entries, starter_pk):
        """The badges of these entries' authors, asking who moderates in one query."""
        authors = {
            entry.node.post.author_id
            for entry in entries
            if entry.node.shows_text and entry.node.post.author_id is not None
        }
        return cls(starter_pk, frozenset(moderators_among(authors)) if authors else frozenset())

    def html(self, author_pk):
        if author_pk is None:
            return ""
        moderator = MODERATOR if author_pk in self.moderator_pks else ""
        return moderator + (STARTER if author_pk == self.starter_pk else "")


NONE = Badges()
