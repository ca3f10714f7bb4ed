"""Moderation: every action on posts, threads and users, called alike by the site and the admin.

One module per family of actions (posts, flags, threads, bans); the queue, forms, views, urls
and admin beside them. Callers write moderation.<action>(...): the actions are exposed here.
"""

from .bans import ban_user, check_ban, unban_user
from .flags import dismiss_flags, flag_post
from .posts import approve_post, mark_spam, move_post, remove_post, split_post
from .threads import lock_thread, set_premoderation, unlock_thread

__all__ = [
    "approve_post",
    "ban_user",
    "check_ban",
    "dismiss_flags",
    "flag_post",
    "lock_thread",
    "mark_spam",
    "move_post",
    "remove_post",
    "set_premoderation",
    "split_post",
    "unban_user",
    "unlock_thread",
]
