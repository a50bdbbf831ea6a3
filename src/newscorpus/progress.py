"""Progress bars for long work that stay out of logs.

A bar is drawn only when standard error is a terminal (``disable=None`` in tqdm), so CI logs
and redirected output carry no carriage-return noise.
"""

from __future__ import annotations

from typing import Any

from tqdm import tqdm


def progress(total: int | None, desc: str, unit: str = "it", **options: Any) -> tqdm:
    return tqdm(total=total, desc=desc, unit=unit, disable=None, leave=False, **options)
