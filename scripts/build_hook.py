"""Hatch build hook: compiles the C accelerator of ``validate`` into the wheel, when it can.

``src/newscorpus/validate/_onepass.c`` checks a data line's text and paragraphs in one pass
over its bytes (``newscorpus.validate.onepass`` says what it proves and why). It is optional:
where no C compiler or Python headers are at hand, the wheel is built without it, with a
warning, and ``validate`` runs its pure-Python path to the same verdicts, taking about 1.4
times as long.

setuptools does the compiling, as it knows every platform's compiler and flags; the module
goes into the wheel beside its source (``newscorpus/validate/``), or, for an editable install,
which imports from ``src/``, into ``src/newscorpus/validate/`` itself (ignored by git).

Declared in ``pyproject.toml`` under ``[tool.hatch.build.targets.wheel.hooks.custom]``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "newscorpus.validate._onepass"
SOURCE = "src/newscorpus/validate/_onepass.c"


class CustomBuildHook(BuildHookInterface):
    """Compile ``_onepass.c``; on any failure, warn and build a pure-Python wheel."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._scratch = Path(tempfile.mkdtemp(prefix="newscorpus-build-"))
        in_place = Path(self.root) / "src/newscorpus/validate"
        if version == "editable":  # never leave a module built from an older source
            for stale in [*in_place.glob("_onepass.*.so"), *in_place.glob("_onepass.*.pyd")]:
                stale.unlink()
        try:
            built = compile_extension(Path(self.root), self._scratch)
        except Exception as error:  # no compiler, no headers: the pure-Python path remains
            self.app.display_warning(
                f"newscorpus: the C accelerator was not built ({type(error).__name__}: "
                f"{error}); `newscorpus validate` will run in pure Python, taking about 1.4 "
                "times as long"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "editable":
            shutil.copyfile(built, in_place / built.name)
        else:
            build_data["force_include"][str(built)] = f"newscorpus/validate/{built.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)


def compile_extension(root: Path, scratch: Path) -> Path:
    """Build the extension module under ``scratch``; return the path of the built file."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    distribution = Distribution(
        {"name": "newscorpus", "ext_modules": [Extension(MODULE, [str(root / SOURCE)])]}
    )
    command = build_ext(distribution)
    command.build_lib = str(scratch / "lib")
    command.build_temp = str(scratch / "temp")
    command.ensure_finalized()
    command.run()
    built = Path(command.get_ext_fullpath(MODULE))
    if not built.is_file():
        raise FileNotFoundError(f"the compiler left no {built.name}")
    return built
