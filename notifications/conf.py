"""The notifications' settings: each PARLEY_NOTIFY_* with its default and the reason for it.

Read as `conf.settings.MAX_MENTIONS`; the README's table is checked against this one by a test.
"""

from config.app_settings import AppSettings, Setting

settings = AppSettings(
    "PARLEY_NOTIFY_",
    {
        "MAX_MENTIONS": Setting(
            10, "mentions per post that notify: a roll call of the whole forum is spam"
        ),
        "BATCH_SIZE": Setting(
            1000, "notifications per INSERT in a fan-out: big enough to be quick, small to lock"
        ),
        "EMAIL_ATTEMPTS": Setting(5, "tries per email before it is marked failed"),
        "RETRY_SECONDS": Setting(
            60, "the first wait before a retry; each later wait doubles (1, 2, 4, 8 minutes)"
        ),
        "STALE_SECONDS": Setting(
            900, "work running longer than this was left by a dead worker and is requeued"
        ),
        "DIGEST_HOUR": Setting(7, "UTC hour from which each day's digest goes out"),
        "TICK_SECONDS": Setting(
            60, "how often the worker's schedule sweeps, retries and sends due digests"
        ),
        "VERIFY_DAYS": Setting(7, "days an email verification link stays valid"),
    },
)
