"""Validation: every check of the corpus, the manifest and the seeds, reported at once.

``validate`` streams the data files (one worker per file, memory flat in corpus size), then
runs the checks that need the whole corpus (unique ids, duplicate and near-duplicate texts,
manifest totals) on small per-record summaries. See ``newscorpus.rules`` for the catalogue.
"""

from newscorpus.validate.runner import Report, validate

__all__ = ["Report", "validate"]
