"""The short "next steps" block ``oidcify retrofit`` prints after ``--diff`` and ``--write``:
the ``sub`` values each role must trust (or the command that prints them), the secrets that
can go once merged, the variables or secrets to create for an expression role, and a warning
when ``workflow_dispatch`` lets a run from any branch assume the role."""

from __future__ import annotations

import shlex

from oidcify import subjects
from oidcify.retrofit import report
from oidcify.retrofit.engine import parse
from oidcify.retrofit.result import RepoResult

HEADING = "next steps:"


def _by_role(result: RepoResult, repo: tuple[str, str]) -> dict[str, list[str]]:
    data = report.subjects_json(result, subjects.Repo(*repo), "legacy")
    found: dict[str, dict[str, None]] = {}
    for job in data["jobs"]:
        found.setdefault(job["role"], {}).update(dict.fromkeys(job["subjects"]))
    return {role: sorted(subs) for role, subs in found.items()}


def _dispatch_files(result: RepoResult) -> list[str]:
    """Changed workflows that ``workflow_dispatch`` triggers and whose jobs may run on any
    branch (their claims include ``ref:refs/heads/*``)."""
    wide = {c.path for c in result.claims if "ref:refs/heads/*" in c.contexts}
    found = []
    for file in result.changed:
        if file.path not in wide or file.original is None:
            continue
        workflow = parse(file.path, file.original)
        if workflow is not None and "workflow_dispatch" in workflow.triggers:
            found.append(file.path)
    return found


def lines(result: RepoResult, repo: tuple[str, str] | None, where: str) -> list[str]:
    """The block's lines (none when nothing changes); ``where``: the REPO_DIR given."""
    out = [HEADING]
    if repo is None:
        out.append(
            "  - print the sub claims each role must trust: oidcify retrofit "
            f"{shlex.quote(where)} --print-subjects --repo OWNER/REPO"
        )
    else:
        for role, subs in _by_role(result, repo).items():
            if subs:
                out.append(f"  - the trust policy of {role} must admit: {', '.join(subs)}")
    out += [f"  - {sentence}" for sentence in report.to_define(result)]
    if result.deletable_secrets:
        out.append("  - once merged, delete the secrets: " + ", ".join(result.deletable_secrets))
    for path in _dispatch_files(result):
        out.append(
            f"  - warning: {path} runs on workflow_dispatch, so a run from any branch "
            "(ref:refs/heads/*) can assume the role; add an environment or narrow the trust"
        )
    return out if len(out) > 1 else []
