"""Comment archives in and out: a front end per format, one loader, the exporters, the upload page.

Each front end (disqus, wxr, jsonformat, seed) reads its format into the neutral records of
`records`; `loader` stores them (matching each discussion to its thread in `thread_matching`,
placing posts in `placement`); `runner` ties a file to both for the command and the admin page
(`admin`); `exporters` writes discussions out again.
"""


class ImportFailed(Exception):
    """An archive that cannot be imported; the message is meant for the person importing it."""
