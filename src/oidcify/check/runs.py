"""The runs a job can have, each with the ``sub`` context its token would carry.

Built on ``oidcify.workflows.claims`` (which refs each trigger runs on, environments winning
over refs) and narrowed by the job's ``if:`` (``workflows.ifexpr``, read as for the claims): a
run is dropped only when the condition is false for it whatever the unknowns hold. A reusable
workflow's runs are its in-repository callers' runs (a called workflow's token carries the
caller's context, unless the called job names an environment); with no caller here its context
is unknown (``"*"``).

Pull requests appear twice: from the same repository (a token with context ``pull_request``)
and from a fork (no token at all; only the fork-PR rule looks at those).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from oidcify import subjects
from oidcify.check.oidc import Repo
from oidcify.workflows.claims import Claim, environment_claims, trigger_claims
from oidcify.workflows.ifexpr import Facts, may_run
from oidcify.workflows.model import Job, Workflow

ANY_BRANCH = subjects.branch_context("*")
ANY_TAG = subjects.tag_context("*")


@dataclass(frozen=True)
class Run:
    event: str  # the triggering event; "*" when unknown
    context: str  # the sub context; may hold '*' (a pattern); "*" alone: unknown
    ref: str | None  # the ref (or a pattern of refs) when known
    exact: bool = True  # False: ``context`` is a pattern standing for many runs
    fork: bool = False  # a pull request from a fork: no token
    via: str = ""  # "caller.yml job X" for runs inherited from a caller

    @property
    def unfiltered(self) -> bool:
        """Runs on any branch or any tag (a trigger with no filter), judged as a group."""
        return self.context in (ANY_BRANCH, ANY_TAG)

    def facts(self, repository: str | None) -> Facts:
        event = None if self.event == "*" else self.event
        return Facts(event, self.ref, self.fork, repository)

    def describe(self) -> str:
        where = self.event if self.event != "*" else "any event"
        if self.ref and self.event != "pull_request":
            where += f" on {self.ref}"
        return where + (f" (via {self.via})" if self.via else "")


def _trigger_runs(claim: Claim) -> list[Run]:
    run = Run(claim.event, claim.context, claim.ref, claim.exact)
    if claim.context == subjects.PULL_REQUEST_CONTEXT:
        return [run, replace(run, fork=True)]
    return [run]


def _own_runs(wf: Workflow, repo: Repo, default_branch: str, seen: frozenset[str]) -> list[Run]:
    runs: list[Run] = []
    for trigger in wf.triggers.values():
        if trigger.event != "workflow_call":
            for claim in trigger_claims(trigger, default_branch):
                runs += _trigger_runs(claim)
            continue
        callers = list(repo.callers(wf))
        for caller_wf, caller_job in callers:
            if caller_wf.path in seen:
                continue
            inner = job_runs(caller_wf, caller_job, repo, default_branch, seen=seen | {wf.path})
            via = f"{caller_wf.path} job {caller_job.id}"
            runs += [replace(r, via=r.via or via) for r in inner]
        if not callers:
            runs.append(Run("*", "*", None, exact=False, via="callers in other repositories"))
    return runs


def _with_environment(job: Job, runs: list[Run]) -> list[Run]:
    envs = environment_claims(job)
    if envs is None:
        return runs
    return [replace(run, context=env.context, exact=env.exact) for run in runs for env in envs]


def job_runs(
    wf: Workflow,
    job: Job,
    repo: Repo,
    default_branch: str = "main",
    *,
    repository: str | None = None,
    seen: frozenset[str] = frozenset(),
) -> list[Run]:
    """Every run of ``job`` its triggers, callers and ``if:`` allow, without duplicates."""
    runs = _with_environment(job, _own_runs(wf, repo, default_branch, seen))
    runs = [r for r in runs if may_run(job.if_, r.facts(repository))]
    return list(dict.fromkeys(runs))


def token_runs(runs: list[Run]) -> list[Run]:
    """The runs that get a token (fork pull requests get none)."""
    return [r for r in runs if not r.fork]
