"""The search app's rules: each PARLEY_SEARCH_* setting with its default and the reason for it."""

from config.app_settings import AppSettings, Setting

settings = AppSettings(
    "PARLEY_SEARCH_",
    {
        "LANGUAGE": Setting(
            "english",
            "PostgreSQL's text search configuration (stemming); rebuild the index after a change",
        ),
        "RESULTS_PER_PAGE": Setting(20, "a screenful of excerpts; each page is one bounded query"),
        "MAX_QUERY_LENGTH": Setting(
            500, "characters: a long question fits, a pasted page is refused with a message"
        ),
        "MAX_TERMS": Setting(
            16, "words and phrases per query: each one is a join in the index, so cap the cost"
        ),
        "WINDOW": Setting(
            2000,
            "matches: twice the 1,000 results a reader can page to, ranked fast for any word",
        ),
        "INDEX_BATCH_SIZE": Setting(
            5000,
            "posts per INSERT ... SELECT, and at most the rows Python prepares at once: "
            "bounded memory, few statements",
        ),
    },
)
