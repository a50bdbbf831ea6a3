"""The ``newscorpus`` command: a thin layer over the library.

Exit codes everywhere: 0 clean, 1 problems in the input, 2 usage errors (click's own) and
internal errors. Bad input is reported as problems, never as a traceback.

Each command imports what it runs when it runs, so `newscorpus validate` does not pay for
loading the parser, the language model or the publishing code: start-up is part of every CI
check (a test holds `validate` to that).
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn

import click
import orjson

from newscorpus.publish.command import publish
from newscorpus.releases import BUMPS
from newscorpus.report import REPORTERS, format_rule_list
from newscorpus.rules import RULES
from newscorpus.workspace import find_root

if TYPE_CHECKING:
    from newscorpus.build import Derive
    from newscorpus.corpus import Manifest

_DIR = click.Path(file_okay=False, path_type=Path)
_EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
_workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: all cores].",
)


# True once ``main`` runs: the command is then the whole life of its process. Tests call ``cli``
# inside theirs, which a command must leave as it found it.
_OWN_PROCESS = False


def _freeze_heap() -> None:
    """Take what the process has made so far, mostly the modules a command imports, out of
    the garbage collector's reach for the rest of its life (``gc.freeze``).

    All of it lives until the process exits. Left in the collector's care it is traversed by
    every full collection, and once more at exit: 30 ms of the 0.2 s that `validate` takes to
    start and stop, whatever the corpus. Frozen before the pool forks, it also stays out of
    the workers' collections, and their copies of its pages stay shared with the parent, as
    the ``gc`` documentation recommends before a fork."""
    if _OWN_PROCESS:
        gc.freeze()


def _emit(text: str, err: bool = False) -> None:
    if text:
        click.echo(text, nl=False, err=err)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newscorpus", prog_name="newscorpus")
def cli() -> None:
    """Build, validate and publish the newscorpus news corpus."""


def _repository_files(root: Path) -> Derive:
    """The files a build of the repository's own corpus also writes at the repository root."""
    from newscorpus.docs import RULES_DOC, rules_markdown
    from newscorpus.publish.derived import derived_files

    def derive(manifest: Manifest) -> dict[Path, bytes]:
        files = derived_files(root, manifest)
        files[root / RULES_DOC] = rules_markdown().encode("utf-8")
        return files

    return derive


@cli.command()
@click.option(
    "--seeds",
    "seeds_dir",
    type=_EXISTING_DIR,
    default=None,
    help="Folder of seed files [default: seeds/ of the repository].",
)
@click.option(
    "--out",
    type=_DIR,
    default=None,
    help="Corpus folder to write [default: corpus/ of the repository].",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if the corpus is not what the seeds produce.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="How to report problems and stale files (github: annotations on the files).",
)
@_workers_option
def build(
    seeds_dir: Path | None, out: Path | None, check: bool, fmt: str, workers: int | None
) -> None:
    """Turn the seeds into the JSONL corpus and its manifest."""
    from newscorpus.build import build as run_build
    from newscorpus.build import check as run_check

    root = find_root()
    seeds_dir = (seeds_dir or root / "seeds").resolve()
    out = (out or root / "corpus").resolve()
    if not seeds_dir.is_dir():
        raise click.UsageError(f"no seeds folder at {seeds_dir}; pass --seeds DIR")
    derive = _repository_files(root) if out == (root / "corpus").resolve() else None
    _freeze_heap()
    if check:
        checked = run_check(seeds_dir, out, workers=workers, derive=derive)
        if checked.problems:
            _emit(
                REPORTERS[fmt](checked.problems, "build --check: the seeds do not build"),
                err=fmt == "text",
            )
            sys.exit(1)
        if checked.stale:
            _emit(_stale_report(checked.stale, fmt), err=fmt == "text")
            sys.exit(1)
        _emit(f"build --check: {out} is up to date\n")
        return
    result = run_build(seeds_dir, out, workers=workers, derive=derive)
    if not result.ok:
        _emit(
            REPORTERS[fmt](result.problems, "build failed: nothing was written"),
            err=fmt == "text",
        )
        sys.exit(1)
    assert result.manifest is not None
    m = result.manifest
    _emit(
        f"built {m.records} record(s) in {len(m.files)} file(s) into {out} "
        f"(corpus {m.corpus_version}, schema {m.schema_version})\n"
    )


def _stale_report(stale: list[str], fmt: str) -> str:
    """Files that differ from what the seeds produce: a list, or one annotation each."""
    fix = "run `newscorpus build` and commit the result"
    if fmt == "github":
        return "".join(
            f"::error file={name},title=stale file::not what the seeds produce; {fix}\n"
            for name in stale
        )
    names = "\n".join(f"  {name}" for name in stale)
    return f"build --check: these files are not what the seeds produce:\n{names}\n{fix}\n"


def _codes(values: tuple[str, ...]) -> list[str]:
    """``--select A,B --select C`` -> [A, B, C]; unknown names are a usage error."""
    names = [v.strip() for value in values for v in value.split(",") if v.strip()]
    known = {r.code for r in RULES.values()} | {r.name for r in RULES.values()}
    known |= {t for r in RULES.values() for t in r.tags}
    unknown = sorted(set(names) - known)
    if unknown:
        raise click.BadParameter(
            f"unknown rule code, name or tag: {', '.join(unknown)} "
            "(see `newscorpus validate --list-rules`)"
        )
    return names


@cli.command()
@click.option(
    "--corpus", type=_DIR, default=None, help="Corpus folder [default: corpus/ of the repository]."
)
@click.option(
    "--seeds",
    "seeds_dir",
    type=_EXISTING_DIR,
    default=None,
    help="Seeds folder to check too [default: seeds/ of the repository when --corpus "
    "is not given].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--select", multiple=True, help="Only these rule codes, names or tags.")
@click.option("--ignore", multiple=True, help="Skip these rule codes, names or tags.")
@_workers_option
@click.option("--list-rules", is_flag=True, help="Print the rule catalogue and exit.")
@click.option(
    "--json-report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the JSON report to this file (for CI artifacts).",
)
def validate(
    corpus: Path | None,
    seeds_dir: Path | None,
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    workers: int | None,
    list_rules: bool,
    json_report: Path | None,
) -> None:
    """Check the corpus, its manifest and the seeds; report every problem at once."""
    from newscorpus.corpus import write_file
    from newscorpus.validate import validate as run_validate

    if list_rules:
        _emit(format_rule_list())
        return
    root = find_root()
    if corpus is None:
        corpus = root / "corpus"
        if seeds_dir is None and (root / "seeds").is_dir():
            seeds_dir = root / "seeds"
    if not corpus.is_dir():
        raise click.UsageError(f"no corpus folder at {corpus}; pass --corpus DIR")
    _freeze_heap()
    report = run_validate(
        corpus.resolve(),
        seeds_dir.resolve() if seeds_dir else None,
        workers=workers,
        select=_codes(select),
        ignore=_codes(ignore),
    )
    _emit(REPORTERS[fmt](report.problems, report.summary()))
    if json_report is not None:
        write_file(
            json_report.resolve(), REPORTERS["json"](report.problems, report.summary()).encode()
        )
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("source", type=click.File("rb"), default="-")
@click.option(
    "--seeds",
    "seeds_dir",
    type=_EXISTING_DIR,
    default=None,
    help="Seeds folder to add to [default: seeds/ of the repository].",
)
@click.option("--url", default=None, help="Where the article was published.")
@click.option("--published", default=None, help="Publication date, YYYY-MM-DD.")
@click.option("--language", default=None, help="BCP 47 tag, overriding detection.")
@click.option("--topic", "topics", multiple=True, help="A subject label (repeatable).")
@click.option("--rights-holder", default=None, help="Copyright holder, if not the publisher.")
@click.option(
    "--label",
    type=click.IntRange(min=0),
    default=None,
    help="Ordering number of the file name [default: the next free one].",
)
def new(
    source: BinaryIO,
    seeds_dir: Path | None,
    url: str | None,
    published: str | None,
    language: str | None,
    topics: tuple[str, ...],
    rights_holder: str | None,
    label: int | None,
) -> None:
    """Add an article: SOURCE (a file, or - for standard input) becomes a seed and sidecar."""
    from newscorpus.contribute import contribute
    from newscorpus.seeds import shown

    seeds_dir = (seeds_dir or find_root() / "seeds").resolve()
    if not seeds_dir.is_dir():
        raise click.UsageError(f"no seeds folder at {seeds_dir}; pass --seeds DIR")
    metadata = {
        "url": url,
        "published": published,
        "language": language,
        "topics": list(topics),
        "rights": {"holder": rights_holder} if rights_holder else None,
    }
    options = {
        "url": "--url",
        "published": "--published",
        "language": "--language",
        "topics": "--topic",
        "rights": "--rights-holder",
        "": "the options given",
    }
    made = contribute(
        source.read(), seeds_dir, metadata, label, source_name=source.name, option_names=options
    )
    if isinstance(made, list):
        _emit(REPORTERS["text"](made, "nothing was written"), err=True)
        sys.exit(1)
    record = made.record
    preview = orjson.loads(orjson.dumps(record))
    preview["text"] = preview["text"][:200] + ("…" if len(preview["text"]) > 200 else "")
    preview["paragraphs"] = [p[:80] + ("…" if len(p) > 80 else "") for p in preview["paragraphs"]]
    written = [shown(made.seed_path)] + ([shown(made.sidecar_path)] if made.sidecar_path else [])
    _emit(orjson.dumps(preview, option=orjson.OPT_INDENT_2).decode() + "\n")
    _emit(
        f"wrote {' and '.join(written)}; next: `newscorpus build` and "
        "`newscorpus validate`, then commit the seed and the corpus\n"
    )


@cli.command()
@click.option(
    "--bump",
    "kind",
    type=click.Choice(BUMPS),
    required=True,
    help="patch: corrections; minor: records added; major: records removed or a "
    "breaking schema change.",
)
@click.option(
    "--date", "date_text", default=None, help="Release date, YYYY-MM-DD [default: today, UTC]."
)
def release(kind: str, date_text: str | None) -> None:
    """Release the built corpus as a new version and write its changelog entry."""
    from newscorpus.build import build as run_build
    from newscorpus.build import check as run_check
    from newscorpus.changelog import insert_entry, release_entry
    from newscorpus.corpus import MANIFEST, write_file
    from newscorpus.release import plan_release, write_release
    from newscorpus.releases import ReleaseError, current_records, released_records
    from newscorpus.seeds import shown

    root = find_root()
    seeds_dir, corpus = root / "seeds", root / "corpus"
    if not seeds_dir.is_dir() or not (corpus / MANIFEST).is_file():
        raise click.UsageError(f"{root} is not a newscorpus repository with a built corpus")
    day = _release_date(date_text)
    derive = _repository_files(root)
    checked = run_check(seeds_dir, corpus, derive=derive)
    if checked.problems or checked.stale:
        _emit(REPORTERS["text"](checked.problems, "") if checked.problems else "", err=True)
        _fail(
            "the corpus is not what the seeds produce: run `newscorpus build`, commit, and "
            "release again"
        )
    try:
        plan = plan_release(corpus, seeds_dir, kind)
        before = released_records(corpus, plan.previous) if plan.previous else {}
        path = write_release(corpus, plan, day)
    except ReleaseError as error:
        _fail(str(error))
    built = run_build(seeds_dir, corpus, derive=derive)
    if not built.ok:
        path.unlink()
        _emit(REPORTERS["text"](built.problems, "release withdrawn: nothing was written"), err=True)
        sys.exit(1)
    now = current_records(corpus, set(plan.change.added) | set(plan.change.changed))
    reasons = {i: plan.retractions[i].reason for i in plan.change.removed}
    entry = release_entry(plan.version, day, plan.change, now, before, reasons)
    changelog = root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else "# Changelog\n"
    write_file(changelog, insert_entry(text, entry).encode("utf-8"))
    change = plan.change
    _emit(
        f"released {plan.version} ({day}): {len(change.added)} added, "
        f"{len(change.changed)} changed, {len(change.removed)} removed\n"
        f"wrote {shown(path)}; updated the manifest, datapackage.json, croissant.json, "
        "README.md and CHANGELOG.md (add a summary to its new entry)\n"
        "then commit and tag:\n"
        f'  git add -A && git commit -m "Release {plan.version}"\n'
        f'  git tag -a v{plan.version} -m "newscorpus {plan.version}"\n'
        f"  git push origin main v{plan.version}\n"
    )


def _release_date(text: str | None) -> str:
    if text is None:
        return datetime.now(UTC).date().isoformat()
    try:
        return date.fromisoformat(text).isoformat() if len(text) == 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> str:
    raise click.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint="--date")


def _fail(message: str) -> NoReturn:
    _emit(f"newscorpus: {message}\n", err=True)
    sys.exit(1)


@cli.command()
@click.argument("old")
@click.argument("new", required=False, default="working")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def diff(old: str, new: str, fmt: str) -> None:
    """Records added, changed and removed between release OLD and NEW (a release, or
    `working` for the corpus as built now)."""
    from newscorpus.diffing import diff_versions, format_diff
    from newscorpus.releases import ReleaseError

    corpus = find_root() / "corpus"
    try:
        result = diff_versions(corpus, old, new)
    except ReleaseError as error:
        _fail(str(error))
    _emit(format_diff(result, fmt))


cli.add_command(publish)


def main() -> None:
    """Entry point: no input ever ends in a traceback (set NEWSCORPUS_DEBUG=1 to see one)."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was changed", err=True)
        sys.exit(130)
    except Exception as error:  # a bug, not bad input: say so briefly, exit 2
        if os.environ.get("NEWSCORPUS_DEBUG"):
            raise
        click.echo(
            f"newscorpus: internal error: {type(error).__name__}: {error}\n"
            "please report it with the command you ran (NEWSCORPUS_DEBUG=1 shows the "
            "traceback)",
            err=True,
        )
        sys.exit(2)
