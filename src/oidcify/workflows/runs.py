"""The runs a job can have, each with the claims its OIDC token would carry: the one model that
``oidcify check`` (trust coverage, OC101, OC103), ``retrofit --print-subjects``, ``batch
--trust-out`` and the retrofit's OW001 read.

A job's own triggers give its runs (``workflows.claims``: which refs each trigger runs on).
Pull requests appear twice, from the same repository and from a fork (a fork's
``pull_request`` run gets no token; its ``pull_request_target`` run does). A reusable
workflow's runs are its callers' runs in this repository: a job that calls it by its local
path (``./.github/workflows/x.yml``) or by ``OWNER/REPO/.github/workflows/x.yml@REF`` naming
this repository (any repository, when it is not known, so that no caller's runs are lost). With
no caller here its context is unknown (``"*"``).

The job's ``if:`` (``workflows.ifexpr``) then drops a run only when it is false for the run's
event, ref and fork whatever the unknowns hold. Last comes the environment: a job that names
one presents ``environment:NAME`` on every run left; one whose environment is an expression
presents ``environment:*`` and also keeps the ref runs (an expression may come out empty, and
GitHub then runs the job with no environment).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from oidcify import sub_contexts
from oidcify.workflows.callers import callers
from oidcify.workflows.claims import Claim, environment_claims, trigger_claims
from oidcify.workflows.ifexpr import Facts, may_run
from oidcify.workflows.model import Job, Workflow

if TYPE_CHECKING:  # subjects loads dataclasses, which a check does without
    from oidcify.subjects import Repo, SubjectForm

ANY_BRANCH = sub_contexts.branch_context("*")
ANY_TAG = sub_contexts.tag_context("*")
PULL_REQUEST_REF = "refs/pull/*/merge"  # the ref of every pull_request run
WORKFLOWS_DIR = ".github/workflows/"
_SHA = re.compile(r"[0-9a-fA-F]{40}")


class JobRun(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """One run (or, when ``context`` holds ``*``, a family of runs) of a job."""

    event: str  # the triggering event; "*" when unknown
    context: str  # the sub context; may hold '*' (a pattern); "*" alone: unknown
    ref: str | None  # the ref (or a pattern of refs) when known
    exact: bool = True  # False: the pattern admits more than the trigger runs on
    fork: bool = False  # a pull request from a fork
    via: str = ""  # "caller.yml job X" for runs inherited from a caller
    note: str = ""  # what a reader of the subjects should know
    workflow: str | None = None  # the job's file (.github/workflows/x.yml); None: unknown
    workflow_at: str | None = None  # the ref that file is used at; None: the run's ref

    @property
    def has_token(self) -> bool:
        """Whether the run can get an OIDC token (a fork's pull request gets none, except on
        ``pull_request_target``)."""
        return not self.fork or self.event == "pull_request_target"

    @property
    def unfiltered(self) -> bool:
        """Runs on any branch or any tag (a trigger with no filter), judged as a group."""
        return self.context in (ANY_BRANCH, ANY_TAG)

    @property
    def environment(self) -> str | None:
        """The environment (or a pattern of them) the job runs in, if any."""
        return _environment(self.context)

    def facts(self, repository: str | None = None) -> Facts:
        """What the run fixes for an ``if:`` (``repository``: OWNER/REPO when known)."""
        event = None if self.event == "*" else self.event
        return Facts(event, self.ref, self.fork, repository)

    def describe(self) -> str:
        where = self.event if self.event != "*" else "any event"
        if self.ref and self.event != "pull_request":
            where += f" on {self.ref}"
        return where + (f" (via {self.via})" if self.via else "")

    def job_workflow_ref(self, repository: str | None, ref: str | None = None) -> str | None:
        """``OWNER/REPO/.github/workflows/FILE@REF`` as the token names the job's workflow;
        None when the file, the repository or a concrete ref is unknown. ``ref``: a concrete
        instance of the run's ref pattern."""
        at = self.workflow_at or ref or self.ref
        if self.workflow is None or repository is None or not at or "*" in at:
            return None
        return f"{repository}/{self.workflow}@{at}"

    def token_claims(
        self, repo: Repo, form: SubjectForm = "legacy", context: str = ""
    ) -> dict[str, str]:
        """The claims of this run's token that are known (patterns left out): ``sub``,
        ``event_name``, ``ref``, ``ref_type``, ``environment``, ``repository``,
        ``repository_owner``, their ids when ``repo`` has them, and ``job_workflow_ref``.
        ``context``: a concrete instance of the run's context (default: the context)."""
        from oidcify.subjects import subject  # noqa: PLC0415 - see TYPE_CHECKING above

        context = context or self.context
        ref = context[4:].replace("%3A", ":") if context.startswith("ref:") else self.ref
        if ref == PULL_REQUEST_REF:  # every pull request's ref has this shape: take one
            ref = "refs/pull/1/merge"
        ref = ref if ref and "*" not in ref else None
        found = {
            "sub": subject(repo, context, form),
            "repository": repo.full_name,
            "repository_owner": repo.owner,
        }
        optional = {
            "event_name": None if self.event == "*" else self.event,
            "ref": ref,
            "ref_type": _ref_type(ref),
            "environment": _environment(context),
            "repository_id": None if repo.repo_id is None else str(repo.repo_id),
            "repository_owner_id": None if repo.owner_id is None else str(repo.owner_id),
            "job_workflow_ref": self.job_workflow_ref(repo.full_name, ref),
        }  # fmt: skip
        found.update({key: value for key, value in optional.items() if value is not None})
        return found


def _environment(context: str) -> str | None:
    """The environment an ``environment:NAME`` context names; None for any other context."""
    if not context.startswith("environment:"):
        return None
    return context[len("environment:") :].replace("%3A", ":")


def _ref_type(ref: str | None) -> str | None:
    if ref is None:
        return None
    if ref.startswith("refs/heads/"):
        return "branch"
    return "tag" if ref.startswith("refs/tags/") else None


def _file(path: str) -> str | None:
    return path if path.startswith(WORKFLOWS_DIR) else None


def _from_claim(claim: Claim, path: str) -> list[JobRun]:
    run = JobRun(claim.event, claim.context, claim.ref, claim.exact, note=claim.note,
                 workflow=_file(path))  # fmt: skip
    if claim.event.startswith("pull_request"):
        return [run, run._replace(fork=True)]
    return [run]


def _called_at(job: Job, run: JobRun) -> tuple[str | None, str | None] | None:
    """(file, ref) of the called workflow for ``run`` of the calling ``job``, as its token's
    ``job_workflow_ref`` names them: None for a local call (the caller's ref); a full call
    names its ref (a name alone could be a branch or a tag: the file is then unknown, None)."""
    assert job.uses is not None
    if job.uses.kind == "local-workflow":
        return None  # the caller's ref, whatever it is
    ref = job.uses.ref
    if _SHA.fullmatch(ref) or ref.startswith("refs/"):
        return _file(job.uses.path), ref
    return None, None


def _via_callers(
    workflows: Mapping[str, Workflow], wf: Workflow, default_branch: str,
    repository: str | None, seen: frozenset[str],
) -> list[JobRun]:  # fmt: skip
    found = list(callers(workflows, wf.path, repository))
    if not found:
        return [JobRun("*", "*", None, exact=False, via="callers in other repositories",
                       note="the caller's context (callers outside this repository)")]  # fmt: skip
    runs: list[JobRun] = []
    for caller_wf, caller_job in found:
        if caller_wf.path in seen:
            continue
        inner = job_runs(workflows, caller_wf, caller_job, default_branch=default_branch,
                         repository=repository, seen=seen | {wf.path})  # fmt: skip
        via = f"{caller_wf.path} job {caller_job.id}"
        for run in inner:
            at = _called_at(caller_job, run)
            # a local call runs the file at the caller's ref, unknown when the caller's is
            known = _file(wf.path) if run.workflow is not None else None
            file, ref = (known, run.workflow_at) if at is None else at
            runs.append(run._replace(via=run.via or via, workflow=file, workflow_at=ref))
    return runs


def _with_environment(job: Job, runs: list[JobRun]) -> list[JobRun]:
    environments = environment_claims(job)
    if environments is None or not runs:
        return runs
    named = [
        run._replace(context=env.context, exact=env.exact, note=env.note)
        for run in runs
        for env in environments
    ]
    # An expression may come out empty: GitHub then runs the job with no environment.
    return named if environments[0].exact else named + runs


def trigger_runs(
    wf: Workflow, job: Job, *, default_branch: str = "main", repository: str | None = None
) -> list[JobRun]:
    """The runs of ``job`` its own workflow's triggers start (not its callers'), narrowed by
    its ``if:``, with its environment."""
    runs = [
        run
        for trigger in wf.triggers.values()
        if trigger.event != "workflow_call"
        for claim in trigger_claims(trigger, default_branch)
        for run in _from_claim(claim, wf.path)
    ]
    return _narrowed(job, runs, repository)


def _narrowed(job: Job, runs: list[JobRun], repository: str | None) -> list[JobRun]:
    runs = [run for run in runs if may_run(job.if_, run.facts(repository))]
    return list(dict.fromkeys(_with_environment(job, runs)))


def job_runs(
    workflows: Mapping[str, Workflow],
    wf: Workflow,
    job: Job,
    *,
    default_branch: str = "main",
    repository: str | None = None,
    seen: frozenset[str] = frozenset(),
) -> list[JobRun]:
    """Every run of ``job`` its triggers, callers (among ``workflows``, keyed by
    ``.github/workflows/x.yml``), ``if:`` and environment allow, without duplicates, in
    trigger order. ``repository``: OWNER/REPO when known."""
    runs: list[JobRun] = []
    for trigger in wf.triggers.values():
        if trigger.event == "workflow_call":
            runs += _via_callers(workflows, wf, default_branch, repository, seen)
        else:
            for claim in trigger_claims(trigger, default_branch):
                runs += _from_claim(claim, wf.path)
    return _narrowed(job, runs, repository)


def token_runs(runs: list[JobRun]) -> list[JobRun]:
    """The runs that get a token."""
    return [run for run in runs if run.has_token]


def subject_runs(runs: list[JobRun]) -> list[JobRun]:
    """One run with a token per ``sub`` context, the first, in order: what a trust policy must
    admit."""
    unique: dict[str, JobRun] = {}
    for run in token_runs(runs):
        unique.setdefault(run.context, run)
    return list(unique.values())
