"""What the notifications hear of forum writes, after they commit: one task per write."""

from forum.events import Write

from . import following, tasks

# Writes that make or unmake notifications; the others (votes, flags, moves, imports) never do.
HANDLED = {
    Write.POST_ADDED,
    Write.POST_EDITED,
    Write.POST_APPROVED,
    Write.POST_REMOVED,
    Write.POST_MARKED_SPAM,
    Write.POST_DELETED,
}


def on_written(sender, change, **kwargs):
    """Hand the write to the queue: the request that made it never waits for the fan-out."""
    if change.write not in HANDLED or not change.posts:
        return
    if change.write == Write.POST_ADDED:
        # In the request, not the task: the page the writer lands on already says "Unfollow".
        following.follow_on_write(sorted(change.posts))
    tasks.handle_write.enqueue(str(change.write), sorted(change.posts))
