"""Hostile archives built when a test runs: real exports with one record grown too deep or wide."""

from pathlib import Path

SAMPLES = Path(__file__).parent / "samples"


def too_deep(levels, sample="disqus_export.xml", *, end=b"</disqus>"):
    """The sample with, after its real records, one post whose elements nest levels deep."""
    nested = b"<post>" + b"<p>" * levels + b"</p>" * levels + b"</post>"
    return (SAMPLES / sample).read_bytes().replace(end, nested + end)


def too_wide(elements, sample="disqus_export.xml", *, end=b"</disqus>", record="post"):
    """The sample with, before end, a record holding that many empty elements (or just them,
    in the element end closes, when record is None)."""
    wide = b"<p/>" * elements
    if record is not None:
        wide = f"<{record}>".encode() + wide + f"</{record}>".encode()
    return (SAMPLES / sample).read_bytes().replace(end, wide + end)
