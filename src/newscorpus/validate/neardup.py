"""Near-duplicate texts: MinHash signatures and LSH from rensa (Rust, fixed seed).

A record's features are its sentences, the way C4 deduplicates on sentence spans: the text cut
at every full stop and line break, so "U.S." and "3.5" are cut too. Two different articles
share almost no span, even on the same story or when drawn from a small vocabulary, while a
republished copy with a sentence or two changed keeps most of them: Jaccard similarity of the
span sets is the score, reported at 0.8 or more. Cutting at every full stop rather than at
". " finds as many edited copies (a little more: a changed word changes a shorter span), and
takes half the time, because CPython cuts at one byte several times faster than at two.

Signatures use 60 permutations in 12 LSH bands of 5 rows: a pair at 0.8 becomes a candidate
with probability 0.991, at 0.9 with 0.99998, at 0.5 with 0.32, at 0.1 with 0.0001; candidates
are confirmed on the signatures' estimate, whose standard error at 0.8 (0.05) is far larger
than the 0.9% of such pairs the banding misses. Memory sets the shape: the index costs about
70 bytes a band a record, so 12 bands keep 100,000 records near 80 MB where 16 bands of 4 took
115 MB. Spans are hashed in Rust, so a record costs a few microseconds where word shingles
would cost hundreds.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from itertools import chain, compress

from rensa import RMinHash, RMinHashLSH

NEAR_DUPLICATE_THRESHOLD = 0.8
NUM_PERM = 60
NUM_BANDS = 12
SEED = 20220106


def sentences(text: bytes) -> list[bytes]:
    """Sentence-like spans of a text in UTF-8: cut at every full stop and line break.

    A text made of nothing but full stops and line breaks would give only empty spans, and
    every such text the same set; it is its own one span instead, so "." and "..." differ."""
    spans = text.replace(b"\n", b".").split(b".")
    return spans if text.strip(b".\n") else [text]


def signatures(texts: list[bytes]) -> list[RMinHash]:
    """The MinHash of each text's set of sentences, from the texts in UTF-8.

    One call into rensa for a whole data file: hashing is a few microseconds a text, and the
    per-call overhead of making one signature at a time would cost as much again."""
    return RMinHash.from_token_sets([sentences(t) for t in texts], NUM_PERM, SEED)


def signature(text: str) -> RMinHash:
    """The MinHash of one text's set of sentences (as ``signatures`` makes it)."""
    return signatures([text.encode("utf-8")])[0]


class NearDuplicateIndex:
    """An LSH index fed a data file's signatures at a time, in corpus order, so it can run
    while the workers still check later files. Keys are consecutive ints from 0.

    Candidates are confirmed on the signatures, kept as the low 16 bits of each hash value in
    two flat byte arrays: 120 bytes a record, where the full digests took 240 and an
    ``RMinHash`` object 680. Two different 32-bit values agree in their low 16 bits one time in
    65,536, which moves an estimate made of 60 values by less than a ten-thousandth: nothing
    next to its standard error."""

    def __init__(self) -> None:
        self._index = RMinHashLSH(
            threshold=NEAR_DUPLICATE_THRESHOLD, num_perm=NUM_PERM, num_bands=NUM_BANDS
        )
        self._low = bytearray()  # byte 0 of each hash value, NUM_PERM a record
        self._high = bytearray()  # byte 1
        self._count = 0

    def _keep(self, minhashes: list[RMinHash]) -> None:
        wide = array("I", chain.from_iterable(map(RMinHash.digest, minhashes)))
        if sys.byteorder == "big":
            wide.byteswap()
        raw = wide.tobytes()
        self._low += raw[0::4]
        self._high += raw[1::4]

    def _similarity(self, key: int, other: int) -> float:
        a = slice(key * NUM_PERM, (key + 1) * NUM_PERM)
        b = slice(other * NUM_PERM, (other + 1) * NUM_PERM)
        pairs = zip(self._low[a], self._low[b], self._high[a], self._high[b], strict=True)
        return sum(w == x and y == z for w, x, y, z in pairs) / NUM_PERM

    def add(self, minhashes: list[RMinHash]) -> list[tuple[int, int, float]]:
        """Index ``minhashes`` (keys continue from the last call); return
        ``(earlier key, later key, similarity)`` for each near-duplicate pair they make with
        each other or with anything indexed before."""
        start = self._count
        self._count += len(minhashes)
        self._keep(minhashes)
        # One call each way for the whole batch: rensa's per-call overhead is most of the cost
        # of indexing one signature. Querying after inserting finds pairs inside the batch too;
        # a signature whose only candidate is itself (almost all of them) is never seen again.
        self._index.insert_many(minhashes, start_key=start)
        found = []
        flags = self._index.query_duplicate_flags(minhashes)
        for offset in compress(range(len(minhashes)), flags):
            key = start + offset
            for other in sorted(self._index.query(minhashes[offset])):
                if other >= key:
                    break
                similarity = self._similarity(key, other)
                if similarity >= NEAR_DUPLICATE_THRESHOLD:
                    found.append((other, key, similarity))
        return found


def near_duplicate_pairs(signatures: Iterable[RMinHash]) -> list[tuple[int, int, float]]:
    """``(earlier, later, similarity)`` for every pair at or above the threshold, each pair
    reported once, on its later signature (keys are positions in ``signatures``)."""
    return NearDuplicateIndex().add(list(signatures))
