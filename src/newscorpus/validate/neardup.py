"""Near-duplicate texts: MinHash signatures from rensa (Rust, fixed seed), banded for LSH.

A record's features are its sentences, the way C4 deduplicates on sentence spans: the text cut
at every full stop and line break, so "U.S." and "3.5" are cut too. Two different articles
share almost no span, even on the same story or when drawn from a small vocabulary, while a
republished copy with a sentence or two changed keeps most of them: Jaccard similarity of the
span sets is the score, reported at 0.8 or more. Cutting at every full stop rather than at
". " finds as many edited copies (a little more: a changed word changes a shorter span), and
takes half the time, because CPython cuts at one byte several times faster than at two.

Signatures use 60 permutations in 12 LSH bands of 5 rows: a pair at 0.8 becomes a candidate
with probability 0.991, at 0.9 with 0.99998, at 0.5 with 0.32, at 0.1 with 0.0001. A candidate
is then confirmed on the exact similarity of the two texts, so a pair is reported on its true
score, never on an estimate. Spans are hashed in Rust, so a record costs a few microseconds
where word shingles would cost hundreds.

The index is a flat array of each record's 12 band keys (8 bytes each), grouped once every
record is in. Workers make the keys (3 µs a record more than a signature cost them), so what
travels is 96 bytes a record and the parent appends them, then makes a set of each band at the
end (2 µs a record). An LSH index in the parent took 7 µs a record there and 70 bytes a band
a record: 84 MB at 100,000 records, where the keys take 9.6 MB.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain, compress, islice
from operator import eq

from rensa import RMinHash

NEAR_DUPLICATE_THRESHOLD = 0.8
# A record is checked on its text against MAX_CANDIDATES earlier records at most, chosen among
# the BUCKET_PREFIX earliest records of each of its band buckets: those sharing the most bands
# with it, as a near copy shares about 4 of the 12 where a text that only shares a template's
# boilerplate shares one. In a sound corpus a record has no candidate, or one or two; one with
# more belongs to a family of texts sharing much of their sentences (copies of one template),
# and a close match outside that choice may then go unreported: the price of a check whose
# time and memory stay linear in the corpus whatever it holds.
MAX_CANDIDATES = 8
BUCKET_PREFIX = 64
NUM_PERM = 60
NUM_BANDS = 12
ROWS = NUM_PERM // NUM_BANDS
SEED = 20220106


def sentences(text: bytes) -> list[bytes]:
    """Sentence-like spans of a text in UTF-8: cut at every full stop and line break.

    A text made of nothing but full stops and line breaks would give only empty spans, and
    every such text the same set; it is its own one span instead, so "." and "..." differ.
    That text is the one whose cuts leave a span more than it has bytes: a test on two lengths,
    where looking at the text again would copy it (a tenth of this function's time)."""
    spans = text.replace(b"\n", b".").split(b".")
    return spans if len(spans) <= len(text) else [text]


def band_keys(texts: list[bytes]) -> array[int]:
    """``NUM_BANDS`` keys for each text in UTF-8, text after text: the hash of each band of
    ``ROWS`` values of the MinHash of its sentences. Two texts share a band's key when their
    signatures agree on the whole band (or, about once in 2**61, by chance: that costs one
    confirmation on the texts, never a finding).

    One call into rensa for a whole data file, as its per-call overhead would cost as much as
    the hashing. A tuple of ints hashes the same in every process (only str and bytes hashes
    are salted per process), so keys made by different workers can be compared."""
    if not texts:
        return array("q")
    matrix = RMinHash.digest_matrix_from_token_byte_sets(
        [sentences(t) for t in texts], NUM_PERM, SEED
    )
    values = chain.from_iterable(matrix.to_rows())
    return array("q", map(hash, zip(*[values] * ROWS, strict=True)))


def jaccard(a: set[object], b: set[object]) -> float:
    """The Jaccard similarity of two sets of sentences (or of their hashes)."""
    return len(a & b) / len(a | b)


def similarity(a: str, b: str) -> float:
    """The exact Jaccard similarity of two texts' sets of sentences: what a candidate pair is
    confirmed on and reported with."""
    return jaccard(set(sentences(a.encode("utf-8"))), set(sentences(b.encode("utf-8"))))


class NearDuplicateIndex:
    """Band keys fed a data file at a time, in corpus order; records are numbered from 0.

    It keeps nothing of a record but its band keys, and it only proposes: a candidate pair is
    confirmed on the exact similarity of the two texts (``similarity``), read again by the
    caller. In a sound corpus almost no pair is a candidate, so that costs nothing, and a pair
    is reported on its true score rather than an estimate with a standard error of 0.05 at
    the threshold."""

    def __init__(self) -> None:
        self._keys = array("q")

    def __len__(self) -> int:
        return len(self._keys) // NUM_BANDS

    def add(self, keys: array[int]) -> None:
        """Append the band keys of the next records (``NUM_BANDS`` a record, as ``band_keys``
        makes them)."""
        if len(keys) % NUM_BANDS:
            raise ValueError(f"{len(keys)} band keys do not make whole records")
        self._keys.extend(keys)

    def candidates(self) -> Iterator[tuple[int, list[int]]]:
        """``(record, its candidates)`` for each record that has any, in order: at most
        ``MAX_CANDIDATES`` of the records before it sharing a band with it, oldest first.

        When more records than that share a band with it, the earliest is kept, and with it
        those sharing the most bands (the earliest among equals), counted over the
        ``BUCKET_PREFIX`` earliest records of each bucket. A record is reported once, against
        the first of its candidates that confirms, as an exact copy is. So a cluster of texts
        that are all near-identical (5,000 copies of one template with a name changed) gives
        one finding a record, each against the first record of the cluster, not twelve
        million pairs; and a family that shares only boilerplate, whose buckets are as large,
        costs each record ``MAX_CANDIDATES`` checks at most.

        Memory is bounded whatever the texts share: a band whose keys repeat keeps its
        records sorted by key and, per record, two 4-byte ints (where its bucket starts in
        that order, and where the record sits); no list or set per record or per bucket. The
        pairs are made a record at a time, as the caller reads them. In a sound corpus no key
        repeats: a band is then one set, made in C, and nothing more."""
        count = len(self)
        bands: list[tuple[array[int], array[int], array[int]]] = []
        holders: set[int] = set()  # records holding a repeated key in some band
        for band in range(NUM_BANDS):
            column = self._keys[band::NUM_BANDS]
            if len(set(column)) == count:  # no key repeats: what a sound band looks like
                continue
            ordered = sorted(column)
            repeated = set(compress(ordered, map(eq, ordered, islice(ordered, 1, None))))
            del ordered
            members = array("I", compress(range(count), map(repeated.__contains__, column)))
            holders.update(members)
            # sorted by key; the sort is stable, so a bucket's records stay in corpus order
            members = array("I", sorted(members, key=column.__getitem__))
            start = array("I", bytes(4 * count))  # record -> where its bucket starts
            place = array("I", bytes(4 * count))  # record -> where it sits in ``members``
            first, previous = 0, None
            for position, record in enumerate(members):
                key = column[record]
                if key != previous:
                    first, previous = position, key
                start[record], place[record] = first, position
            bands.append((members, start, place))
        for record in sorted(holders):
            shared: Counter[int] = Counter()  # earlier record -> bands it shares with this one
            for members, start, place in bands:
                first, position = start[record], place[record]
                if position > first:  # 0 and 0 for a record in no repeated bucket
                    shared.update(members[first : min(position, first + BUCKET_PREFIX)])
            if len(shared) > MAX_CANDIDATES:
                # the earliest always: the first of a cluster, each record's partner in it
                # the rest by bands shared, the earliest among equals (a stable sort)
                earliest, *rest = sorted(shared)
                rest.sort(key=shared.__getitem__, reverse=True)
                yield record, [earliest, *sorted(rest[: MAX_CANDIDATES - 1])]
            elif shared:
                yield record, sorted(shared)


def near_duplicate_pairs(texts: Iterable[str]) -> list[tuple[int, int, float]]:
    """``(earlier, later, similarity)`` for every text of ``texts`` that is a near-duplicate of
    an earlier one, against the first of its candidates that confirms (keys are positions)."""
    texts = list(texts)
    index = NearDuplicateIndex()
    index.add(band_keys([t.encode("utf-8") for t in texts]))
    found = []
    for later, earlier in index.candidates():
        for candidate in earlier:
            score = similarity(texts[candidate], texts[later])
            if score >= NEAR_DUPLICATE_THRESHOLD:
                found.append((candidate, later, score))
                break
    return found
