"""newscorpus: raw news articles normalised into a versioned, schema-validated JSONL corpus."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newscorpus")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
