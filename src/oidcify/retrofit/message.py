"""The commit message and pull-request text for a retrofit: what changed, which role the jobs now
assume, which ``sub`` claims its trust policy must admit, which secrets can go, and what to
review. ``oidcify batch --commit`` and ``oidcify retrofit --commit`` commit with it; multi-repo
engines turn it into the pull request (multi-gitter's ``--manual-commit``, Sourcegraph's step
outputs from ``--format json``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from oidcify import subjects
from oidcify.retrofit import report
from oidcify.retrofit.codes import ALL
from oidcify.retrofit.result import RepoResult

TITLE = "Move GitHub Actions from static AWS keys to OIDC"


def _fix_counts(codes: Sequence[str]) -> str:
    counts = Counter(codes)
    return ", ".join(f"{code} x{n}" if n > 1 else code for code, n in sorted(counts.items()))


def body(
    repo: RepoResult,
    *,
    role: str | None,
    subjects: Sequence[str] | None,
    others: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """Markdown paragraphs: changes per file, the role and its subjects (``others``: the other
    roles some jobs assume, by ``--role-for``, with theirs), secrets, warnings."""
    changed = repo.changed
    role_text = f"`{role}`" if role else "an IAM role"
    parts = [
        f"`oidcify retrofit` changed {len(changed)} workflow file(s): their jobs now get "
        f"short-lived credentials for {role_text} with GitHub's OIDC token instead of "
        "long-lived access keys stored as secrets."
    ]
    parts.append(
        "\n".join(f"- `{f.path}`: {_fix_counts([x.code for x in f.fixes])}" for f in changed)
    )
    codes = sorted({x.code for f in changed for x in f.fixes})
    parts.append("\n".join(f"- {code}: {ALL[code]}" for code in codes if code in ALL))
    define = report.to_define(repo)
    if define:
        parts.append("Before merging:\n" + "\n".join(f"- {sentence}" for sentence in define))
    if subjects:
        parts.append(
            "Before merging, the role's trust policy must admit these `sub` claims:\n"
            + "\n".join(f"- `{s}`" for s in subjects)
        )
    for other, subs in (others or {}).items():
        if subs:
            parts.append(
                f"Some jobs assume `{other}`; its trust policy must admit:\n"
                + "\n".join(f"- `{s}`" for s in subs)
            )
    if repo.deletable_secrets:
        parts.append(
            "Once merged, delete these repository secrets: "
            + ", ".join(f"`{s}`" for s in repo.deletable_secrets)
        )
    warnings = [
        f"- {w.code} `{f.path}:{w.line}`: {w.message}"
        for f in repo.files
        for w in f.warnings
        if w.code != "OW002"
    ] + [f"- {w.code}: {w.message}" for w in repo.warnings if w.code != "OW002"]
    if warnings:
        parts.append("Review:\n" + "\n".join(warnings))
    return "\n\n".join(p for p in parts if p) + "\n"


def commit_message(
    repo: RepoResult,
    *,
    role: str | None,
    subjects: Sequence[str] | None,
    others: Mapping[str, Sequence[str]] | None = None,
) -> str:
    return f"{TITLE}\n\n{body(repo, role=role, subjects=subjects, others=others)}"


def pull_request(
    repo: RepoResult,
    *,
    role: str | None,
    subjects: Sequence[str] | None,
    others: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, str]:
    return {"title": TITLE, "body": body(repo, role=role, subjects=subjects, others=others)}


def other_roles(
    repo: RepoResult, repository: tuple[str, str] | None, role: str | None
) -> dict[str, list[str]]:
    """The sub claims of the roles besides ``role`` that changed jobs assume (``--role-for``)."""
    if repository is None:
        return {}
    changed = {f.path for f in repo.changed}
    wanted = {c.role for c in repo.claims if c.path in changed and not c.unknown} - {role}
    data = report.subjects_json(repo, subjects.Repo(*repository), "legacy")
    return {r: subs for r, subs in data["roles"].items() if r in wanted}


def role_subjects(
    repo: RepoResult, repository: tuple[str, str] | None, role: str | None
) -> list[str] | None:
    """The sub claims of the jobs that assume ``role``; None when the repository is unknown."""
    if repository is None:
        return None
    data = report.subjects_json(repo, subjects.Repo(*repository), "legacy")
    return sorted({s for job in data["jobs"] if job["role"] == role for s in job["subjects"]})
