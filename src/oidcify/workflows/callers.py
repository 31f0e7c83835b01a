"""Which jobs of a repository call one of its reusable workflows: by the local path
(``./.github/workflows/x.yml``), or in full (``OWNER/REPO/.github/workflows/x.yml@REF``) naming
this repository. When the repository is not known, a full call of the same path counts too, so
that no caller is lost. Light on purpose: ``oidcify check`` reads it for every workflow."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from oidcify.workflows.model import Job, Workflow


def calls(job: Job, target: str, repository: str | None = None) -> bool:
    """Whether ``job`` calls this repository's reusable workflow ``target`` (its path,
    ``.github/workflows/x.yml``); ``repository``: OWNER/REPO when known."""
    uses = job.uses
    if uses is None or uses.path != target:
        return False
    if uses.kind == "local-workflow":
        return True
    same = repository is None or f"{uses.owner}/{uses.repo}".lower() == repository.lower()
    return uses.kind == "workflow" and same


def callers(
    workflows: Mapping[str, Workflow], target: str, repository: str | None = None
) -> Iterator[tuple[Workflow, Job]]:
    """Every job among ``workflows`` that calls the reusable workflow ``target``."""
    for wf in workflows.values():
        for job in wf.jobs.values():
            if calls(job, target, repository):
                yield wf, job


def own_target(job: Job, repository: str | None) -> str | None:
    """The path of this repository's reusable workflow that ``job`` calls, by its local path or
    in full naming ``repository``; None for any other call, and for a full call when the
    repository is not known (an edit must not treat another repository's workflow as ours)."""
    uses = job.uses
    if uses is None or uses.kind not in ("local-workflow", "workflow"):
        return None
    if uses.kind == "workflow" and repository is None:
        return None
    return uses.path if calls(job, uses.path, repository) else None
