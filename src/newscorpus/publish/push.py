"""Pushing ``hf/`` to the Hugging Face Hub and tagging the commit with the corpus version.

A push makes the remote repository an exact mirror of ``hf/`` (files it no longer has are
deleted, so a shard that left the corpus cannot linger under the config's glob) and tags that
commit with the version, so ``load_dataset(repo, revision="<version>")`` returns exactly this
release. Versions are immutable: a tag that exists already stops the push before anything is
uploaded. Only released versions are pushed, and the token comes from ``HF_TOKEN``.

The Hub client is passed in (``HubApi``): the command uses ``huggingface_hub.HfApi``, tests a
recording fake, so no test touches the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from newscorpus.publish.source import PublishError

REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
REPO_TYPE = "dataset"
MIRROR = "*"  # delete every remote file that hf/ does not have (.gitattributes is kept)


class HubApi(Protocol):
    """The part of ``huggingface_hub.HfApi`` a push uses."""

    def create_repo(self, repo_id: str, **kwargs: Any) -> Any: ...
    def list_repo_refs(self, repo_id: str, **kwargs: Any) -> Any: ...
    def upload_folder(self, **kwargs: Any) -> Any: ...
    def create_tag(self, repo_id: str, **kwargs: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class UploadPlan:
    """What a push will do: the files (relative path, bytes) and the tag."""

    repo_id: str
    tag: str
    folder: Path
    files: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        total = sum(size for _, size in self.files)
        lines = [
            f"would push {len(self.files)} file(s), {total} bytes, to dataset {self.repo_id} "
            f"(remote files not listed here are deleted), then tag the commit {self.tag}:"
        ]
        lines += [f"  {name}  {size}" for name, size in self.files]
        return "\n".join(lines) + "\n"


def check_target(repo_id: str, version: str, released: str | None) -> None:
    """Refuse a push that cannot be right, before anything is written or sent."""
    if not REPO_ID.match(repo_id):
        raise PublishError(f"{repo_id!r} is not a Hub repository id: use ORG/NAME")
    if released is None:
        raise PublishError(
            f"corpus {version} is not released: only a release may be tagged on the Hub; "
            "release it first"
        )


def plan_upload(folder: Path, repo_id: str, version: str, released: str | None) -> UploadPlan:
    """Check that the push makes sense and list what it would send."""
    check_target(repo_id, version, released)
    files = tuple(
        (path.relative_to(folder).as_posix(), path.stat().st_size)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )
    return UploadPlan(repo_id, version, folder, files)


def push(plan: UploadPlan, api: HubApi) -> str:
    """Upload and tag; returns the URL of the commit."""
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        refs = api.list_repo_refs(plan.repo_id, repo_type=REPO_TYPE)
        tags = {tag.name for tag in refs.tags}
    except RepositoryNotFoundError:
        tags = set()
    if plan.tag in tags:
        raise PublishError(
            f"{plan.repo_id} already has the tag {plan.tag}: a released version never changes"
        )
    api.create_repo(plan.repo_id, repo_type=REPO_TYPE, exist_ok=True)
    commit = api.upload_folder(
        repo_id=plan.repo_id,
        repo_type=REPO_TYPE,
        folder_path=plan.folder,
        commit_message=f"newscorpus {plan.tag}",
        delete_patterns=MIRROR,
    )
    api.create_tag(
        plan.repo_id,
        tag=plan.tag,
        tag_message=f"newscorpus {plan.tag}",
        revision=commit.oid,
        repo_type=REPO_TYPE,
    )
    return str(commit.commit_url)
