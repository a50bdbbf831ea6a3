"""Listing the seeds folder: what counts as a seed's name."""

from __future__ import annotations

from pathlib import Path

from newscorpus.seeds import discover, seed_id

ID = "0123456789abcdef"


def test_a_name_ending_in_a_line_break_is_not_a_seed(tmp_path: Path) -> None:
    """Python's ``$`` matches before a final line break; a seed's name must end at ".txt"."""
    (tmp_path / f"001_{ID}.txt").write_bytes(b"text")
    (tmp_path / f"002_{ID[::-1]}.txt\n").write_bytes(b"text")
    (tmp_path / f"001_{ID}.yaml\n").write_bytes(b"url: https://a.org/x\n")
    found = discover(tmp_path)
    assert [seed.name for seed in found.seeds] == [f"001_{ID}.txt"]
    assert found.seeds[0].sidecar is None
    assert sorted(p.code for p in found.problems) == ["NC-SEED-011", "NC-SEED-011"]
    assert seed_id(f"002_{ID}.txt\n") is None
