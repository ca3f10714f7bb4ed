"""Posting as a member would, with the write's after-commit work run like in production."""

from forum import services


def post(capture, *, thread, author, body, parent=None):
    """Post through the forum's own service; its announcement runs as at a real commit."""
    with capture(execute=True):
        return services.post_reply(thread=thread, parent=parent, author=author, body=body)
