"""Near-duplicate texts: MinHash signatures and LSH from rensa (Rust, deterministic seed).

A record's feature set is the set of its whitespace-separated words. On 481 real news
articles the word-set Jaccard similarity of two different articles had a median of 0.07 and a
99.99th percentile of 0.22, while the same article lightly edited stays above 0.9; the report
threshold 0.8 sits well between. Signatures use 120 permutations in 20 LSH bands of 6 rows,
which makes a pair at 0.8 a candidate with probability 0.998 and a pair at 0.1 with 2e-5.
Candidates are confirmed on the estimated Jaccard of the full signatures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rensa import RMinHash, RMinHashLSH

NEAR_DUPLICATE_THRESHOLD = 0.8
NUM_PERM = 120
NUM_BANDS = 20
SEED = 20220106


def signature(words: list[str]) -> RMinHash:
    """The MinHash of a text's word set (``words`` from ``text.split()``)."""
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(words)
    return minhash


def near_duplicate_pairs(
    signatures: Iterable[tuple[int, RMinHash]],
) -> Iterator[tuple[int, int, float]]:
    """Yield ``(earlier, later, similarity)`` for every pair at or above the threshold.

    Keys are ints in corpus order, so each pair is reported once, on its later record.
    """
    index = RMinHashLSH(threshold=NEAR_DUPLICATE_THRESHOLD, num_perm=NUM_PERM, num_bands=NUM_BANDS)
    stored: dict[int, RMinHash] = {}
    for key, minhash in signatures:
        for other in sorted(index.query(minhash)):
            similarity = minhash.jaccard(stored[other])
            if similarity >= NEAR_DUPLICATE_THRESHOLD:
                yield other, key, similarity
        index.insert(key, minhash)
        stored[key] = minhash
