"""The moderation pages: the queue, actions on posts and threads, bans, and the audit log."""
