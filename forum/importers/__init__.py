"""Front ends that read comment archives into neutral records, and the loader that stores them."""


class ImportFailed(Exception):
    """An archive that cannot be imported; the message is meant for the person importing it."""
