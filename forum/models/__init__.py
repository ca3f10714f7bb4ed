from .discussion import Post, PostQuerySet, Thread, can_moderate
from .installation import Installation, this_site_id
from .moderation import (
    Ban,
    BanQuerySet,
    Flag,
    FlagQuerySet,
    ModerationRecord,
    ModerationRecordQuerySet,
    active_ban,
    is_banned,
)
from .versions import ReaderVersion, TreeVersion
from .votes import Vote

__all__ = [
    "Ban",
    "BanQuerySet",
    "Flag",
    "FlagQuerySet",
    "Installation",
    "ModerationRecord",
    "ModerationRecordQuerySet",
    "Post",
    "PostQuerySet",
    "ReaderVersion",
    "Thread",
    "TreeVersion",
    "Vote",
    "active_ban",
    "can_moderate",
    "is_banned",
    "this_site_id",
]
