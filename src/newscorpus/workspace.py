"""Where the corpus repository is, and what it declares, so commands work from any folder.

A corpus repository declares itself with ``newscorpus.toml`` at its root::

    [corpus]
    seeds = "seeds"        # the seeds folder, relative to the root
    out = "corpus"         # the corpus folder `newscorpus build` writes
    generated = ["README.md", "LICENSE.md", "datapackage.json", "croissant.json", "docs/rules.md"]

``generated`` lists the files beside the corpus that a build of the declared corpus also writes
(none when the key is absent): a build never writes anything else outside its ``--out``.
Outside a repository, commands default to ``./seeds`` and ``./corpus`` and a build writes
only inside its ``--out``. The file is read with ``tomllib``; anything in it that this version
does not know is refused, so a typo never silently means "the defaults".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from newscorpus.excerpt import excerpt

CONFIG = "newscorpus.toml"
SEEDS = "seeds"
CORPUS = "corpus"
# Every file a build can generate beside the corpus, in the order it describes them.
GENERATED = ("README.md", "LICENSE.md", "datapackage.json", "croissant.json", "docs/rules.md")
_KEYS = {"seeds": str, "out": str, "generated": list}


class ConfigError(Exception):
    """``newscorpus.toml`` cannot be used as it stands; the message names the file and key."""


@dataclass(frozen=True, slots=True)
class Repository:
    """A corpus repository: its root and what its ``newscorpus.toml`` declares."""

    root: Path
    seeds: Path
    corpus: Path
    generated: tuple[str, ...]

    @property
    def config(self) -> Path:
        return self.root / CONFIG

    def generated_paths(self) -> list[Path]:
        return [self.root / name for name in self.generated]


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``newscorpus.toml``.

    Outside a corpus repository the working directory is the root, so ``--seeds``/``--out``
    still work and the defaults are ``./seeds`` and ``./corpus``.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    return here


def find_repository(start: Path | None = None) -> Repository | None:
    """The corpus repository at or above ``start`` (None outside one); ``ConfigError`` if its
    ``newscorpus.toml`` is unreadable or declares something this version does not know."""
    root = find_root(start)
    return read_config(root) if (root / CONFIG).is_file() else None


def default_seeds(start: Path | None = None) -> Path:
    """The seeds folder a command uses when it is given none."""
    repository = find_repository(start)
    return repository.seeds if repository else find_root(start) / SEEDS


def default_corpus(start: Path | None = None) -> Path:
    """The corpus folder a command uses when it is given none."""
    repository = find_repository(start)
    return repository.corpus if repository else find_root(start) / CORPUS


def read_config(root: Path) -> Repository:
    """Read and check ``root/newscorpus.toml``."""
    path = root / CONFIG
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    unknown = sorted(set(document) - {"corpus"})
    if unknown:
        raise ConfigError(f"{path}: unknown table [{excerpt(unknown[0])}]; known: [corpus]")
    table = document.get("corpus", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `corpus` must be a table, [corpus]")
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(
                f"{path}: [corpus] {excerpt(key)}: unknown key; known: {', '.join(_KEYS)}"
            )
        if not isinstance(value, _KEYS[key]):
            kind = "a string" if _KEYS[key] is str else "a list of file names"
            raise ConfigError(f"{path}: [corpus] {key} must be {kind}")
    seeds = _folder(path, table, "seeds", SEEDS)
    out = _folder(path, table, "out", CORPUS)
    generated = _generated(path, table.get("generated", []))
    if generated and out != CORPUS:
        # The generated descriptions name the data files as corpus/data/...
        raise ConfigError(
            f"{path}: [corpus] out must be {CORPUS!r} while `generated` lists files: "
            "they describe the corpus at that path"
        )
    if _overlaps(PurePosixPath(seeds), PurePosixPath(out)):
        raise ConfigError(f"{path}: [corpus] seeds and out must be separate folders")
    return Repository(root, root / seeds, root / out, generated)


def _folder(path: Path, table: dict[str, Any], key: str, default: str) -> str:
    value: str = table.get(key, default)
    parts = PurePosixPath(value).parts
    if not value or value.startswith("/") or "\\" in value or ".." in parts or parts == ():
        raise ConfigError(
            f"{path}: [corpus] {key} = {excerpt(value)}: give a folder inside the "
            f"repository, relative to it, such as {default!r}"
        )
    return PurePosixPath(value).as_posix()


def _generated(path: Path, names: list[Any]) -> tuple[str, ...]:
    chosen = []
    for name in names:
        if not isinstance(name, str) or name not in GENERATED:
            raise ConfigError(
                f"{path}: [corpus] generated: {excerpt(name)} is not a file a build generates; "
                f"known: {', '.join(GENERATED)}"
            )
        if name not in chosen:
            chosen.append(name)
    return tuple(n for n in GENERATED if n in chosen)


def _overlaps(a: PurePosixPath, b: PurePosixPath) -> bool:
    return a == b or a in b.parents or b in a.parents


def overlap(out: Path, seeds: Path) -> str | None:
    """How the folder ``out`` overlaps the folder ``seeds`` (both resolved), or None."""
    if out == seeds:
        return "is"
    if seeds in out.parents:
        return "is inside"
    if out in seeds.parents:
        return "holds"
    return None
