"""Trust coverage: for every job that assumes a role with its OIDC token, is each run it can
have admitted by the role's trust policy, and which of the policy's ``sub`` values does no run
present?

A run with a concrete context (``ref:refs/heads/main``, ``environment:prod``, ``pull_request``)
is one request, evaluated with ``oidcify.iam.evaluate``. A run whose context is a pattern (a
trigger filter such as ``tags: ['v*']``, or a trigger with no filter) stands for many requests;
it is admitted when one of them is: the requests tried are a concrete instance of the pattern
plus, for each ``sub`` value of the policy, a string both the run's pattern and that value
match (``patterns.witness``, exact). Runs on any branch or tag of one trigger are judged
together: refused only when the role admits none of them. A refusal whose failing conditions
test claims oidcify cannot predict (``actor``, ``workflow_sha`` ...) is a note, not a
finding. Each run's token carries the claims ``workflows.runs`` knows, ``job_workflow_ref``
(the job's workflow file at the run's ref) among them; a ``repository_id`` the policy pins is
taken to be this repository's when its id is not given, as the name in ``sub`` is. GitHub's
filter ``*`` stops at ``/`` and IAM's does not; treating a filter as the wider IAM pattern can
only make a job look admitted or a policy value look used, never the reverse, so nothing is
reported that is not so. With ``--subject-format both`` each run is judged in both forms and a
refusal of either names the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oidcify.check import patterns
from oidcify.check.identity import Identity
from oidcify.check.oidc import Repo, audience, minting_steps, role_of
from oidcify.check.policies import SubValue, TrustPolicy, sub_values
from oidcify.iam import Decision, evaluate, github_request, issuer_host
from oidcify.iam import github_token as claims_mod
from oidcify.iam.conditions import Condition
from oidcify.iam.sts_keys import evaluated
from oidcify.subjects import SubjectForm
from oidcify.workflows.ifexpr import may_run
from oidcify.workflows.model import Job, Step, Workflow
from oidcify.workflows.runs import ANY_BRANCH, JobRun, job_runs, token_runs


@dataclass(frozen=True)
class Refusal:
    path: str  # the workflow file as displayed
    job: str
    line: int
    column: int
    scope: str  # which runs: "push on refs/heads/dev", "release on any tag"
    reason: str


@dataclass
class Coverage:
    refusals: list[Refusal] = field(default_factory=list)
    presented: set[tuple[int, patterns.Pattern]] = field(default_factory=set)  # id(policy)
    notes: list[str] = field(default_factory=list)

    def used(self, value: SubValue) -> bool:
        mine = id(value.policy)
        return any(p == mine and value.meets(sub) is not None for p, sub in self.presented)


def _applies(policy: TrustPolicy, role: str) -> bool:
    """A job assuming ``role`` is judged by ``policy`` unless both name different roles."""
    if policy.role_arn is None or "${{" in role or not role.startswith("arn:"):
        return True
    return role.lower() == policy.role_arn.lower()


def _claims(
    identity: Identity, form: SubjectForm, sub: str, run: JobRun, aud: str | None
) -> claims_mod.Claims:
    context = sub[len(identity.prefix(form)) + 1 :]
    found: claims_mod.Claims = {"iss": claims_mod.GITHUB_ISSUER}
    found.update(run.token_claims(identity.repo, form, context))
    found["sub"] = sub  # as the witness spells it
    if aud:
        found["aud"] = aud
    return found


def _github_key(key: str) -> bool:
    """Whether ``key`` is a GitHub token's, of the public issuer or an enterprise's."""
    issuer, sep, _ = key.rpartition(":")
    return bool(sep) and issuer_host(f":oidc-provider/{issuer.lower()}") is not None


def _decide(policy: TrustPolicy, claims: claims_mod.Claims) -> Decision:
    """The policy's decision for a token through each GitHub provider it names (an
    enterprise's keys carry its path): the first that allows, else the first's."""
    decisions = [
        evaluate(policy.policy, github_request(arn, claims))
        for arn in policy.github_providers() or [policy.provider_arn()]
    ]
    return next((d for d in decisions if d.allowed), decisions[0])


def _unknown_only(decision: Decision, known: set[str]) -> bool:
    """Some Allow statement fails only on conditions oidcify cannot predict the claims of."""
    by_statement: dict[int, list[Condition]] = {}
    for result, failed in decision.refusals():
        by_statement.setdefault(result.statement.index, []).append(failed.condition)
    return any(
        all(
            not _github_key(c.key) or (c.claim not in known and evaluated(c.claim))
            for c in conditions
        )
        for conditions in by_statement.values()
    )


def reason(decision: Decision, policy: TrustPolicy) -> str:
    if decision.explicit_deny and decision.deciding:
        held = "; ".join(c.reason for c in decision.deciding.conditions)
        return f"explicit Deny in {decision.deciding_label}" + (f": {held}" if held else "")
    refusals = decision.refusals()
    if not refusals:
        results = decision.statements
        why = "; ".join(dict.fromkeys(
            r.principal_reason if not r.principal_matched else r.action_reason for r in results
        ))  # fmt: skip
        return f"no Allow statement applies to the GitHub provider: {why}"
    by_statement: dict[str, list[str]] = {}
    for result, failed in refusals:
        by_statement.setdefault(result.statement.label, []).append(failed.reason)
    fewest = min(len(reasons) for reasons in by_statement.values())
    closest = [f"{'; '.join(reasons)} [{label}]" for label, reasons in by_statement.items()
               if len(reasons) == fewest]  # fmt: skip
    return "; or ".join(closest)


@dataclass
class _Job:
    identity: Identity
    path: str | None  # display path; None for a context file (judged, not reported)
    wf: Workflow
    job: Job
    step: Step
    runs: list[JobRun]
    policies: list[TrustPolicy]


def pinned_ids(policy: TrustPolicy) -> list[str | None]:
    """The ``repository_id`` values the policy's Allow statements require (``StringEquals``):
    with the repository's own id unknown, each is taken to be this repository's, as its name
    is."""
    return list(dict.fromkeys(
        value
        for _, condition in policy.policy.conditions("Allow")
        if condition.claim == "repository_id" and condition.operator.base == "StringEquals"
        for value in condition.values
    ))  # fmt: skip


def _judge(item: _Job, form: SubjectForm, run: JobRun, coverage: Coverage) -> str | None:
    """None when some policy admits the run's ``form`` of sub, else why the first policy
    refuses it."""
    prefix = item.identity.prefix(form)
    sub = patterns.subject(f"{prefix}:{run.context}")
    aud = audience(item.wf, item.job, item.step)
    first: str | None = None
    for policy in item.policies:
        coverage.presented.add((id(policy), sub))
        found = [v.meets(sub) for v in sub_values(policy)]
        candidates = [w for w in found if w] + [patterns.instance(sub)]
        ids = pinned_ids(policy) if item.identity.repo.repo_id is None else [None]
        for candidate in dict.fromkeys(candidates):
            claims = _claims(item.identity, form, candidate, run, aud)
            for repo_id in ids or [None]:  # the repository is the one the policy pins
                if repo_id is not None:
                    claims["repository_id"] = repo_id
                decision = _decide(policy, claims)
                if decision.allowed:
                    break
            if decision.allowed:
                return None
            known = set(claims) | ({"environment"} if "environment" not in claims else set())
            if _unknown_only(decision, known):
                coverage.notes.append(
                    f"{item.wf.path} job {item.job.id} ({run.describe()}): {policy.label} "
                    "tests claims oidcify cannot predict; not judged"
                )
                return None
            first = first or f"{policy.label} refuses it: {reason(decision, policy)}"
    return first


def _cover_job(item: _Job, form: SubjectForm, coverage: Coverage) -> None:
    """Judge the job's runs in one subject ``form``; a refusal names the form when the runs
    are judged in more than one."""
    named = f", {form} sub" if len(item.identity.forms) > 1 else ""
    groups: dict[str, list[tuple[JobRun, str | None]]] = {}
    judged: set[str] = set()
    for run in item.runs:
        if not run.unfiltered:
            if run.context in judged:
                continue  # one verdict per subject: an environment job on two branches
            judged.add(run.context)
        if run.context == "*":
            coverage.notes.append(
                f"{item.wf.path} job {item.job.id}: called from outside this repository; "
                "its callers' subjects are unknown"
            )
            continue
        verdict = _judge(item, form, run, coverage)
        if run.unfiltered:
            groups.setdefault(run.event, []).append((run, verdict))
        elif verdict:
            _refuse(item, run.describe() + named, verdict, coverage)
    for group in groups.values():
        if all(verdict for _, verdict in group):
            run, verdict = group[0]
            kinds = sorted({"branch" if r.context == ANY_BRANCH else "tag" for r, _ in group})
            scope = f"{run.event} on any {' or '.join(kinds)}" + (f" (via {run.via})" if run.via
                                                                  else "")  # fmt: skip
            _refuse(item, scope + named, verdict or "", coverage)


def _refuse(item: _Job, scope: str, why: str, coverage: Coverage) -> None:
    if item.path is not None:
        step = item.step
        refusal = Refusal(item.path, item.job.id, step.line, step.column, scope, why)
        coverage.refusals.append(refusal)


def cover(
    repo: Repo, paths: dict[str, str | None], identity: Identity, policies: list[TrustPolicy],
    *, default_branch: str, coverage: Coverage,
) -> None:  # fmt: skip
    """Judge every minting job of ``repo`` against ``policies``; results go into ``coverage``."""
    for policy in policies if identity.repo.repo_id is None else []:
        for repo_id in pinned_ids(policy):
            coverage.notes.append(
                f"assuming {identity.full_name} has repository id {repo_id}, which "
                f"{policy.label} pins; pass --owner-id and --repo-id to check it"
            )
    for wf in repo.workflows.values():
        for job in wf.jobs.values():
            steps = minting_steps(wf, job)
            if not steps:
                continue
            found = job_runs(repo.workflows, wf, job, default_branch=default_branch,
                             repository=identity.full_name)  # fmt: skip
            runs = token_runs(found)
            for step in steps:
                role = role_of(wf, job, step) or ""
                applicable = [p for p in policies if _applies(p, role)]
                facts = identity.full_name
                mine = [r for r in runs if may_run(step.if_, r.facts(facts))]
                if applicable:
                    item = _Job(identity, paths.get(wf.path), wf, job, step, mine, applicable)
                    for form in identity.forms:  # GitHub may send either: each must pass
                        _cover_job(item, form, coverage)
