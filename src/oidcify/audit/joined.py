"""``--workflows``: join the audited roles with the workflows that assume them.

Each DIR is a checkout (it has ``.github/workflows``) or a folder of checkouts. Every literal
``role-to-assume`` ARN of a job that mints a token is a reference (OC305/OC306 in
``account_rules``). The roles a checkout references are then judged against its workflows by
``check``'s trust coverage, with ``check``'s rules: OC201 (a job the role refuses) and OC202 (a
``sub`` value no run presents; only for a role a single checkout references, since another
repository's values are unused by this one's runs). A checkout's ``.copier-answers.yml`` that
holds the repository's numeric ids makes them known to OC301.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oidcify import repoinfo
from oidcify.audit.judge import COVERAGE_RULES, AuditScope, WorkflowPlace
from oidcify.check import loading, sources
from oidcify.check.context import Context, displays, group
from oidcify.check.findings import Finding
from oidcify.check.oidc import minting_steps, role_of
from oidcify.check.options import Options
from oidcify.errors import InputError
from oidcify.subjects import Repo
from oidcify.workflow_files import WORKFLOWS_DIR


def checkouts(dirs: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in dirs:
        path = Path(name)
        if not path.is_dir():
            raise InputError("not a folder (a checkout, or a folder of checkouts)",
                             field=f"--workflows {name}")  # fmt: skip
        if (path / WORKFLOWS_DIR).is_dir():
            found.append(path)
            continue
        inside = sorted(p for p in path.iterdir() if (p / WORKFLOWS_DIR).is_dir())
        if not inside:
            raise InputError("no .github/workflows here or in its subfolders",
                             field=f"--workflows {name}")  # fmt: skip
        found += inside
    return found


def answered_repo(root: Path) -> Repo | None:
    """The repository a checkout's Copier answers name, when they carry both numeric ids."""
    import yaml

    try:
        answers: Any = yaml.safe_load((root / ".copier-answers.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(answers, dict):
        return None
    owner, name = answers.get("github_owner"), answers.get("github_repo")
    ids = [answers.get("github_owner_id"), answers.get("github_repo_id")]
    if not (isinstance(owner, str) and isinstance(name, str)):
        return None
    if not all(str(i or "").isdigit() for i in ids):
        return None
    return Repo(owner, name, int(str(ids[0])), int(str(ids[1])))


def _references(ctx: Context) -> dict[str, list[WorkflowPlace]]:
    found: dict[str, list[WorkflowPlace]] = {}
    for loaded, wf, _ in ctx.workflows():
        for job in wf.jobs.values():
            for step in minting_steps(wf, job):
                role = role_of(wf, job, step)
                if role and role.startswith("arn:") and "${{" not in role:
                    place = (loaded.source.display, step.line, step.column)
                    found.setdefault(role, []).append(place)
    return found


def _coverage(ctx: Context, root: Path, notes: list[str]) -> list[Finding]:
    from oidcify.check import coverage, identity
    from oidcify.rules import all_rules

    try:
        ctx.identity = identity.resolve(repo=None, root=root, policies=ctx.policies, notes=notes)
    except InputError as err:
        notes.append(f"{root}: workflows not judged against their roles: {err.message}")
        return []
    ctx.coverage = coverage.Coverage(notes=notes)
    branch = repoinfo.default_branch(root) or "main"
    for repo, members in ctx.repos:
        coverage.cover(repo, displays(members), ctx.identity, ctx.policies,
                       default_branch=branch, coverage=ctx.coverage)  # fmt: skip
    rules = [r for r in all_rules() if r.INFO.id in COVERAGE_RULES]
    return [finding for rule in rules for finding in rule.check(ctx)]


def join(scope: AuditScope, dirs: list[str], cwd: Path) -> list[Finding]:
    """Fill ``scope.references`` and ``scope.known_ids``; the coverage findings."""
    scope.references = {}
    per_root: list[tuple[Path, Context, set[str]]] = []
    users: dict[str, int] = {}  # role ARN (lower case) -> checkouts that reference it
    for root in checkouts(dirs):
        files = [loading.load(source) for source in sources.collect([str(root)], cwd)]
        ctx = Context(Options(cwd=cwd), files, group(files))
        found = _references(ctx)
        for arn, places in found.items():
            scope.references.setdefault(arn, []).extend(places)
        named = {arn.lower() for arn in found}
        for arn in named:
            users[arn] = users.get(arn, 0) + 1
        per_root.append((root, ctx, named))
        if (repo := answered_repo(root)) is not None:
            scope.known_ids.append(repo)
    findings: list[Finding] = []
    for root, ctx, named in per_root:
        ctx.policies = [j.policy for j in scope.judged if j.role.arn.lower() in named]
        if ctx.policies:
            shared = {arn for arn in named if users[arn] > 1}
            findings += [f for f in _coverage(ctx, root, scope.notes)
                         if not (f.rule == "OC202" and f.path.lower() in shared)]  # fmt: skip
    return findings
