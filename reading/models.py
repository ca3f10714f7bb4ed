from django.conf import settings
from django.db import models


class ThreadReading(models.Model):
    """How far one reader has read one discussion: one row each, whatever the thread's size.

    Per post rows (one per post a reader has seen) grow with every thread and every reader; a
    single mark per thread is what Misago keeps, and reading a page moves it at most once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_readings"
    )
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="readings")
    # The creation time of the newest post up to which the reader has been shown every post.
    read_until = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_reading_per_thread"),
        ]

    def __str__(self):
        return f"{self.user} read {self.thread} until {self.read_until:%Y-%m-%d %H:%M}"
