"""Where the repository is, so commands work from any working directory."""

from __future__ import annotations

from pathlib import Path


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``seeds/`` and ``pyproject.toml``.

    Outside a checkout the working directory is the root, so ``--seeds``/``--out`` still work.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "seeds").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return here
