from .flagging import post_flag
from .posting import post_delete, post_edit, post_reply, thread_new, thread_reply
from .reading import post_detail, thread_detail, thread_list
from .voting import post_vote

__all__ = [
    "post_delete",
    "post_detail",
    "post_edit",
    "post_flag",
    "post_reply",
    "post_vote",
    "thread_detail",
    "thread_list",
    "thread_new",
    "thread_reply",
]
