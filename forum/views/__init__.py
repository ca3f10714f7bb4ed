from .reading import post_detail, thread_detail, thread_list

__all__ = ["post_detail", "thread_detail", "thread_list"]
