"""What the repository as a whole learns from a retrofit: secrets that can be deleted, the sub
contexts of every token-minting job (for the trust policy), and repository-wide warnings."""

from __future__ import annotations

from collections.abc import Mapping

from oidcify.retrofit import all_secrets, elsewhere
from oidcify.retrofit.context import FileContext, is_cac
from oidcify.retrofit.options import ROLE_PLACEHOLDER, Options
from oidcify.retrofit.refs import is_key_name, secret_uses
from oidcify.retrofit.result import Finding, JobClaims, RepoResult
from oidcify.workflows import runs
from oidcify.workflows.model import Workflow

EXTERNAL = (
    "called only from other repositories: its token names the caller's repository, "
    "so its subjects are unknown here"
)


def deletable(contexts: Mapping[str, FileContext]) -> list[str]:
    """AWS key secrets some workflow used before and none uses after."""
    known = frozenset().union(*(c.key_secrets for c in contexts.values()))
    before: set[str] = set()
    after: set[str] = set()
    for ctx in contexts.values():
        changed = bool(ctx.patch.edits)
        for use in secret_uses(ctx.wf.node):
            before |= use.names
            if not changed or use.path not in ctx.handled:
                after |= use.names
    return sorted(n for n in before - after if is_key_name(n, known))


def job_claims(
    workflows: dict[str, Workflow], contexts: Mapping[str, FileContext], options: Options
) -> list[JobClaims]:
    """The sub contexts (``workflows.runs``) of every job that mints a token or assumes a role."""
    found = []
    branch = options.default_branch
    for path, ctx in contexts.items():
        external = path in ctx.facts.external  # called only from other repositories
        for job in ctx.wf.jobs.values():
            new = job.id in ctx.minting and bool(ctx.patch.edits)
            roles = [
                s.with_["role-to-assume"]
                for s in job.steps
                if is_cac(s) and "role-to-assume" in s.with_
            ]
            if not new and not roles:
                continue
            role = ctx.chosen.get(job.id, options.role) if new else roles[0]
            if external:  # the token names a caller's repository: nothing to derive here
                found.append(JobClaims(path, job.id, job.line, role, (), (EXTERNAL,), True))
                continue
            every = runs.job_runs(workflows, ctx.wf, job, default_branch=branch,
                                  repository=options.repository)  # fmt: skip
            found_runs = runs.subject_runs(every)
            notes = [r.note for r in found_runs if r.note]
            if not found_runs and job.if_:
                notes.append(f"if: {job.if_.strip()} rules out every run of the triggers")
            found.append(
                JobClaims(
                    path,
                    job.id,
                    job.line,
                    role,
                    tuple(r.context for r in found_runs),
                    tuple(dict.fromkeys(notes)),
                )
            )
    return found


def complete(
    repo: RepoResult,
    workflows: dict[str, Workflow],
    contexts: Mapping[str, FileContext],
    options: Options,
    others: elsewhere.Texts,
) -> None:
    """Fill in the repository-level parts of ``repo``; ``others``: the files besides the parsed
    workflows that may use secrets (failed ones included), see ``elsewhere``."""
    failed = [f.path for f in repo.errors]
    wholesale = all_secrets.reasons(workflows, others)
    repo.deletable_secrets, kept = elsewhere.keep(deletable(contexts), others, failed, wholesale)
    repo.claims = job_claims(workflows, contexts, options)
    repo.needs_role = bool(repo.changed) and any(
        ROLE_PLACEHOLDER in c.chosen.values() for c in contexts.values()
    )
    by_role: dict[str, set[str]] = {}
    for ctx in contexts.values():
        for role, secrets in ctx.key_roles.items():
            by_role.setdefault(role, set()).update(secrets & ctx.access_key_ids)
    for role, key_ids in sorted(by_role.items()):
        if len(key_ids) > 1 and repo.changed:
            shown = f" ({role})" if options.role_for else ""
            repo.warnings.append(
                Finding(
                    "OW005",
                    0,
                    f"access keys {', '.join(sorted(key_ids))} now all assume one role{shown}: "
                    "give it what each of them could do, or pass --role-for secret:NAME=ROLE",
                )
            )
    for name in repo.deletable_secrets:
        repo.warnings.append(
            Finding(
                "OW002",
                0,
                f"secret {name} is no longer used by any "
                "workflow: delete it once the change is merged",
            )
        )
    repo.warnings += kept
