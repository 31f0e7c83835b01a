"""What a job does with AWS credentials, as configure-aws-credentials reads its inputs.

The action (v4 to v6, ``src/index.ts``) asks GitHub for an OIDC token when ``role-to-assume`` is
set and none of ``aws-access-key-id``, ``web-identity-token-file`` and ``role-chaining`` is;
since v5 it also reads those inputs from environment variables (``ROLE_TO_ASSUME``,
``AWS_REGION`` ...). A job that has ``AWS_ACCESS_KEY_ID`` in its environment and no
``id-token: write`` assumes the role with those keys instead, so it is not counted as minting.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from oidcify.workflows import callers as calling
from oidcify.workflows.aws_keys import (
    CAC,
    CAC_DEFAULT_AUDIENCE,
    ECR_LOGIN,
    KEY_ENV,
    KEY_INPUTS,
    is_action,
    is_cac,
)
from oidcify.workflows.model import Job, Step, Workflow

__all__ = ["CAC", "ECR_LOGIN", "KEY_ENV", "KEY_INPUTS", "is_action", "is_cac"]


_TRUE = ("true", "True", "TRUE")


def env_value(wf: Workflow, job: Job, step: Step | None, name: str) -> str | None:
    """``name`` from the step's, the job's or the workflow's ``env`` (the nearest wins)."""
    for env in (step.env if step else {}, job.env, wf.env):
        if name in env:
            return env[name]
    return None


def cac_input(wf: Workflow, job: Job, step: Step, name: str) -> str | None:
    """An input as configure-aws-credentials sees it: ``with:``, else the env variable it
    translates (``role-to-assume`` <- ``ROLE_TO_ASSUME``)."""
    if name in step.with_:
        return step.with_[name]
    return env_value(wf, job, step, name.upper().replace("-", "_"))


def role_of(wf: Workflow, job: Job, step: Step) -> str | None:
    role = cac_input(wf, job, step, "role-to-assume")
    return role.strip() if role and role.strip() else None


def mints(wf: Workflow, job: Job, step: Step) -> bool:
    """Whether ``step`` assumes its role with the job's OIDC token."""
    if not is_cac(step) or role_of(wf, job, step) is None:
        return False
    if any(step.with_.get(k, "").strip() for k in ("aws-access-key-id", "web-identity-token-file")):
        return False
    if (cac_input(wf, job, step, "role-chaining") or "").strip() in _TRUE:
        return False
    if cac_input(wf, job, step, "web-identity-token-file"):
        return False
    return env_value(wf, job, step, "AWS_ACCESS_KEY_ID") is None


def minting_steps(wf: Workflow, job: Job) -> list[Step]:
    return [step for step in job.steps if mints(wf, job, step)]


def audience(wf: Workflow, job: Job, step: Step) -> str | None:
    """The token's ``aud``: the ``audience`` input, the action's default, or None when it is an
    expression."""
    value = (cac_input(wf, job, step, "audience") or "").strip()
    if not value:
        return CAC_DEFAULT_AUDIENCE
    return None if "${{" in value else value


class Repo(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """The workflows of one repository (or a file on its own), keyed by ``.github/workflows/x``,
    and the repository's OWNER/REPO when known."""

    workflows: dict[str, Workflow]
    name: str | None = None

    def callee(self, job: Job) -> Workflow | None:
        """The reusable workflow of this repository that ``job`` calls, if any (by its local
        path, or in full naming this repository: ``workflows.runs.calls``)."""
        if job.uses is None or job.uses.kind not in ("local-workflow", "workflow"):
            return None
        callee = self.workflows.get(job.uses.path)
        return callee if callee is not None and calling.calls(job, callee.path, self.name) else None

    def callers(self, wf: Workflow) -> Iterator[tuple[Workflow, Job]]:
        return calling.callers(self.workflows, wf.path, self.name)

    def job_mints(self, wf: Workflow, job: Job, seen: frozenset[str] = frozenset()) -> bool:
        """The job mints a token itself, or calls a reusable workflow here that does."""
        if minting_steps(wf, job):
            return True
        callee = self.callee(job)
        if callee is None or callee.path in seen:
            return False
        inner = seen | {wf.path}
        return any(self.job_mints(callee, j, inner) for j in callee.jobs.values())
