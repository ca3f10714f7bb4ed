"""The forum's rules: every PARLEY_* setting with its default and the reason for it.

Read as `conf.settings.MAX_DEPTH`; a deployment overrides one with `PARLEY_MAX_DEPTH` in its
Django settings. The README's table of the forum's rules is checked against this one by a test.
Site-wide settings that the environment sets (PARLEY_SITE_URL, PARLEY_TRUSTED_PROXY_COUNT) live
in config/settings.py instead.
"""

from config.app_settings import AppSettings, Setting

settings = AppSettings(
    "PARLEY_",
    {
        "MAX_POST_LENGTH": Setting(10_000, "characters: room for an essay, not for a data dump"),
        "EDIT_WINDOW_MINUTES": Setting(
            15, "long enough to fix a typo, too short to rewrite what others answered"
        ),
        "MAX_DEPTH": Setting(8, "deeper chains read better on their own page"),
        "TOP_LEVEL_PER_PAGE": Setting(
            50, "a page of top-level posts, each with every reply above the depth cap"
        ),
        "FLAGS_TO_HIDE": Setting(
            3, "one report is an opinion, three independent ones are a pattern; 0 turns it off"
        ),
        "POST_RATE_PER_USER": Setting("5/60", "five posts a minute: a fast typist, not a script"),
        "POST_RATE_PER_IP": Setting(
            "20/60", "looser: one address can be a whole office or campus behind NAT"
        ),
        "NEW_ACCOUNT_DAYS": Setting(3, "how long an account counts as new for the link cap"),
        "NEW_ACCOUNT_MAX_LINKS": Setting(
            2, "link spam comes from fresh accounts; regulars may cite sources"
        ),
        "PREMODERATE_FIRST_POSTS": Setting(
            0, "off by default: holding newcomers' first posts is each site's choice"
        ),
    },
)
