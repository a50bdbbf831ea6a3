"""The ``newscorpus`` command: a thin layer over the library.

Exit codes everywhere: 0 clean, 1 problems in the input or a file that cannot be read or
written, 2 usage errors (click's own) and internal errors, 130 for Ctrl-C and 143 for SIGTERM.
Bad input is reported as problems, never as a traceback.

Each command imports what it runs when it runs, so `newscorpus validate` does not pay for
loading the parser, the language model or the publishing code: start-up is part of every CI
check (a test holds `validate` to that).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn

import click
import orjson

from newscorpus.excerpt import printable
from newscorpus.publish.command import publish
from newscorpus.releases import BUMPS
from newscorpus.report import REPORTERS, format_rule_list
from newscorpus.rules import RULES
from newscorpus.seeds import shown as _shown
from newscorpus.workspace import find_root

if TYPE_CHECKING:
    from newscorpus.build import Derive
    from newscorpus.corpus import Manifest
    from newscorpus.releases import ReleaseError
    from newscorpus.workspace import Repository

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


def shown(path: Path | str) -> str:
    """A file named in a message: a name holding a line break stays on one line, so it can
    never start a CI workflow command."""
    return printable(_shown(path))


def _repository(start: Path | None = None) -> Repository | None:
    """The corpus repository the command runs in (None outside one); a ``newscorpus.toml``
    that cannot be used is a usage error naming the file and key."""
    from newscorpus.excerpt import printable
    from newscorpus.workspace import ConfigError, find_repository

    try:
        return find_repository(start)
    except ConfigError as error:
        _emit(f"newscorpus: {printable(str(error))}\n", err=True)
        sys.exit(2)


def _repository_files(root: Path, *, writing: bool = True) -> Derive | None:
    """The generated files that a build of the corpus repository at ``root`` writes beside its
    corpus: the ones its ``newscorpus.toml`` lists, none outside a corpus repository.

    When ``writing``, it first refuses (exit 1, nothing written) if one of them is in the way
    and not a generated file: a build never overwrites a file it did not generate.
    """
    from newscorpus.publish.derived import derived_files

    repository = _repository(root)
    if repository is None or repository.root != root.resolve() or not repository.generated:
        return None
    if writing:
        _refuse_foreign(repository)
    names = repository.generated

    def derive(manifest: Manifest) -> dict[Path, bytes]:
        return derived_files(repository.root, manifest, names)

    return derive


def _refuse_foreign(repository: Repository) -> None:
    """Exit 1, nothing written, if a generated file of ``repository`` is in the way and was
    not generated: checked before a build, and again inside its lock just before its commit,
    for a file put there while it ran."""
    from newscorpus.owned import foreign_files

    foreign = foreign_files(repository.generated_paths(), repository.root)
    if foreign:
        from newscorpus.excerpt import printable

        lines = "".join(f"  {shown(path)}: {why}\n" for path, why in foreign)
        _emit(
            f"newscorpus: {shown(repository.config)} lists these files as generated, but they are "
            f"not newscorpus's to replace:\n{lines}"
            "nothing was written. Move them away (the build writes them anew) or take them "
            f"out of `generated` in {printable(repository.config.name)}. A generated file carries "
            "a marker (README.md: its <!-- fields:start --> and <!-- fields:end --> lines).\n",
            err=True,
        )
        sys.exit(1)


def _build_paths(seeds_dir: Path | None, out: Path | None) -> tuple[Path, Path, Path | None]:
    """The seeds and corpus folders of a build (resolved), and the root of the corpus
    repository when ``out`` is the corpus it declares (then the build writes its generated
    files too; otherwise it writes only inside ``out``).

    An ``--out`` that is the seeds folder, lies inside it or holds it is a usage error before
    anything is touched: a build replaces what is in its ``--out``, and seeds are evidence.
    """
    from newscorpus.workspace import CORPUS, SEEDS, overlap

    repository = _repository()
    here = Path.cwd()
    seeds_dir = (seeds_dir or (repository.seeds if repository else here / SEEDS)).resolve()
    out = (out or (repository.corpus if repository else here / CORPUS)).resolve()
    if not seeds_dir.is_dir():
        raise click.UsageError(f"no seeds folder at {shown(seeds_dir)}; pass --seeds DIR")
    for place in (out, *out.parents):  # the nearest that exists must be a folder
        if place.exists():
            if not place.is_dir():
                within = "" if place == out else f" (--out {shown(out)} would be inside it)"
                raise click.UsageError(
                    f"--out must be a folder, but {shown(place)} is not one{within}; give a "
                    "new folder or the corpus folder of an earlier build"
                )
            break
    clash = overlap(out, seeds_dir)
    if clash:
        raise click.UsageError(
            f"--out {shown(out)} {clash} the seeds folder {shown(seeds_dir)}: a build replaces "
            "what is in --out, and seeds are never touched; give a folder apart from the seeds, "
            "such as corpus/"
        )
    declared = repository is not None and out == repository.corpus.resolve()
    return seeds_dir, out, repository.root if repository and declared else None


def _refuse_foreign_out(out: Path) -> None:
    """Exit 1 if ``out`` is a folder of someone else's files rather than a corpus folder."""
    from newscorpus.excerpt import printable
    from newscorpus.owned import not_a_corpus

    strangers = not_a_corpus(out)
    if strangers:
        more = f" and {len(strangers) - 5} more" if len(strangers) > 5 else ""
        _emit(
            f"newscorpus: --out {shown(out)} is not a corpus folder (no newscorpus manifest.json) "
            f"and holds files a build does not write: "
            f"{', '.join(map(printable, strangers[:5]))}{more}; "
            "nothing was written. Give a new or empty folder, or the corpus folder of an "
            "earlier build\n",
            err=True,
        )
        sys.exit(1)


@cli.command()
@click.option(
    "--seeds",
    "seeds_dir",
    type=_EXISTING_DIR,
    default=None,
    help="Folder of seed files [default: the one newscorpus.toml names, else ./seeds].",
)
@click.option(
    "--out",
    type=_DIR,
    default=None,
    help="Corpus folder to write, apart from the seeds [default: the one newscorpus.toml "
    "names, else ./corpus].",
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
    """Turn the seeds into the JSONL corpus and its manifest.

    A build writes only inside --out. In a corpus repository (a folder with newscorpus.toml),
    a build of the corpus it declares also writes the generated files it lists there, and
    refuses, before writing anything, to replace one that lacks the generated-file marker.
    """
    from newscorpus.build import build as run_build
    from newscorpus.build import check as run_check
    from newscorpus.entries import check_entries

    seeds_dir, out, root = _build_paths(seeds_dir, out)
    if not check:
        check_entries(out)
        _refuse_foreign_out(out)
    derive = _repository_files(root, writing=not check) if root else None
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
        _emit(f"build --check: {shown(out)} is up to date\n")
        return
    repository = _repository(root) if derive and root else None
    result = run_build(
        seeds_dir,
        out,
        workers=workers,
        derive=derive,
        before_commit=(lambda: _refuse_foreign(repository)) if repository else None,
    )
    if not result.ok:
        _emit(
            REPORTERS[fmt](result.problems, "build failed: nothing was written"),
            err=fmt == "text",
        )
        sys.exit(1)
    assert result.manifest is not None
    m = result.manifest
    _emit(
        f"built {m.records} record(s) in {len(m.files)} file(s) into {shown(out)} "
        f"(corpus {m.corpus_version}, schema {m.schema_version})\n"
    )


def _stale_report(stale: list[str], fmt: str) -> str:
    """Files that differ from what the seeds produce: a list, or one annotation each."""
    from newscorpus.excerpt import printable
    from newscorpus.report import annotation

    fix = "run `newscorpus build` and commit the result"
    if fmt == "github":
        return "".join(
            annotation(f"not what the seeds produce; {fix}", file=name, title="stale file")
            for name in stale
        )
    names = "\n".join(f"  {printable(name)}" for name in stale)
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
    if corpus is None:
        from newscorpus.workspace import default_corpus, default_seeds

        _repository()  # a newscorpus.toml that cannot be used is a usage error, named
        corpus = default_corpus()
        if seeds_dir is None and default_seeds().is_dir():
            seeds_dir = default_seeds()
    if not corpus.is_dir():
        raise click.UsageError(f"no corpus folder at {shown(corpus)}; pass --corpus DIR")
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

    if source.isatty():  # `-` on a terminal: waiting for typed input would look like a hang
        raise click.UsageError(
            "no article given: pass the article's file (newscorpus new article.txt) or pipe "
            "it in (newscorpus new - < article.txt)"
        )
    corpus_dir = None  # beside the seeds, unless a repository declares it
    if seeds_dir is None:
        from newscorpus.workspace import default_corpus, default_seeds

        _repository()  # a newscorpus.toml that cannot be used is a usage error, named
        seeds_dir, corpus_dir = default_seeds(), default_corpus()
    seeds_dir = seeds_dir.resolve()
    if not seeds_dir.is_dir():
        raise click.UsageError(f"no seeds folder at {shown(seeds_dir)}; pass --seeds DIR")
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
    from newscorpus.limits import MAX_SEED_BYTES

    # One byte past the limit is enough to refuse an article as too long (NC-SEED-012).
    article = source.read(MAX_SEED_BYTES + 1)
    made = contribute(
        article,
        seeds_dir,
        metadata,
        label,
        source_name=source.name,
        option_names=options,
        corpus_dir=corpus_dir,
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
@click.option(
    "--redo",
    is_flag=True,
    help="Make an unfinished release (stopped half-way, the corpus changed since) anew from "
    "the corpus as it is now.",
)
def release(kind: str, date_text: str | None, redo: bool) -> None:
    """Release the built corpus as a new version and write its changelog entry; run again
    after an interruption, it finishes the release it began."""
    from newscorpus.corpus import MANIFEST
    from newscorpus.release import release_corpus
    from newscorpus.releases import ReleaseError
    from newscorpus.workspace import default_corpus, default_seeds

    root = find_root()
    _repository()  # a newscorpus.toml that cannot be used is a usage error, named
    seeds_dir, corpus = default_seeds().resolve(), default_corpus().resolve()
    if not seeds_dir.is_dir() or not (corpus / MANIFEST).is_file():
        raise click.UsageError(f"{shown(root)} is not a newscorpus repository with a built corpus")
    day = None if date_text is None else _release_date(date_text)
    derive = _repository_files(root)
    try:
        done = release_corpus(root, seeds_dir, corpus, kind, day, derive, redo=redo)
    except ReleaseError as error:
        _release_failed(error)
    version, change = done.release.version, done.change
    if done.finished:
        _emit(f"finished release {version}, which an earlier run began and did not complete\n")
    _emit(
        f"released {version} ({done.release.date}): {len(change.added)} added, "
        f"{len(change.changed)} changed, {len(change.removed)} removed\n"
        f"wrote {shown(done.path)}; updated the manifest, datapackage.json, croissant.json, "
        "README.md and CHANGELOG.md (add a summary to its new entry)\n"
        "then commit and tag:\n"
        f'  git add -A && git commit -m "Release {version}"\n'
        f'  git tag -a v{version} -m "newscorpus {version}"\n'
        f"  git push origin main v{version}\n"
    )


def _release_failed(error: ReleaseError) -> NoReturn:
    """A release or diff that cannot go on: its findings as ``validate`` shows them, then why."""
    if error.problems:
        _emit(REPORTERS["text"](error.problems, ""), err=True)
    _fail(str(error))


def _release_date(text: str) -> str:
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
    from newscorpus.workspace import default_corpus

    _repository()  # a newscorpus.toml that cannot be used is a usage error, named
    corpus = default_corpus()
    try:
        result = diff_versions(corpus, old, new)
    except ReleaseError as error:
        _release_failed(error)
    _emit(format_diff(result, fmt))


cli.add_command(publish)


def main() -> None:
    """Entry point: no input ever ends in a traceback (set NEWSCORPUS_DEBUG=1 to see one).

    Exit codes: those of the command; 2 for a usage error; 1 for a file that cannot be read
    or written (a full disk, a read-only folder); 130 for Ctrl-C and 143 for SIGTERM, after
    every cleanup has run; 2 for an internal error (a bug)."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    from newscorpus import interrupts

    interrupts.install()
    sys.exit(_run())


def _run() -> int:
    """Run the command line; the exit code, once the command has stopped whatever way."""
    from newscorpus import interrupts

    try:
        code = cli(standalone_mode=False)  # click raises, and this says how it ended
        sys.stdout.flush()  # here, so that a closed pipe is met while it can be handled
        return code if isinstance(code, int) else 0  # --help and --version: ctx.exit's code
    except BaseException as error:
        stopped = interrupts.received() or _signal_of(error)
        if stopped == signal.SIGTERM:
            click.echo(f"terminated: {interrupts.interrupted_message()}", err=True)
            return 143
        if stopped == signal.SIGINT:
            click.echo(f"interrupted: {interrupts.interrupted_message()}", err=True)
            return 130
        return _failed(error)


def _signal_of(error: BaseException) -> int | None:
    """The signal an exception stands for: Ctrl-C (also as click's ``Abort``), SIGTERM."""
    from newscorpus.interrupts import Terminated

    if isinstance(error, Terminated):
        return signal.SIGTERM
    if isinstance(error, KeyboardInterrupt) or (
        isinstance(error, click.exceptions.Abort) and isinstance(error.__cause__, KeyboardInterrupt)
    ):
        return signal.SIGINT
    return None


def _failed(error: BaseException) -> int:
    """The exit code of a command that ended in ``error``, after saying what went wrong."""
    from newscorpus import interrupts
    from newscorpus.oserrors import describe

    if isinstance(error, SystemExit):  # a command's own sys.exit
        return _exit_code(error)
    if isinstance(error, click.exceptions.Abort):  # standard input ended at a prompt
        click.echo("newscorpus: aborted: the input ended early", err=True)
        return 1
    if isinstance(error, click.ClickException):  # usage errors (2), an unopenable argument
        error.show()
        return error.exit_code
    if isinstance(error, BrokenPipeError):  # `newscorpus ... | head`: the reader has enough
        _drop_stdout()
        return 1
    if isinstance(error, OSError) and not os.environ.get("NEWSCORPUS_DEBUG"):
        message = describe(error)
        if message is not None:
            if interrupts.committed():
                message += f" (the command stopped after {interrupts.done_so_far()})"
            click.echo(f"newscorpus: {message}", err=True)
            return 1
    if isinstance(error, Exception):
        return _internal_error(error)
    raise error


def _exit_code(done: SystemExit) -> int:
    code = done.code
    if code is None or isinstance(code, int):
        return code or 0
    click.echo(str(code), err=True)
    return 1


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's own flush at exit does
    not fail on the closed pipe again (and print a traceback of its own)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _internal_error(error: BaseException) -> int:
    """A bug, not bad input: say so briefly, exit 2."""
    if os.environ.get("NEWSCORPUS_DEBUG"):
        raise error
    click.echo(
        f"newscorpus: internal error: {type(error).__name__}: {error}\n"
        "please report it with the command you ran (NEWSCORPUS_DEBUG=1 shows the "
        "traceback)",
        err=True,
    )
    return 2
