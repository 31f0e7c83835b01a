"""Turning a RepoResult into what the command prints: findings, unified diffs, JSON, and the
subjects for the trust policy. Returns strings; the command decides where they go."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from oidcify import subjects
from oidcify.retrofit import role_value
from oidcify.retrofit.result import FileResult, Finding, RepoResult

_LINES = re.compile(r"(?<=\n)")


def _lines(text: str) -> list[str]:
    # Only "\n" ends a line (str.splitlines would also split at U+2028 and friends).
    return [line for line in _LINES.split(text) if line]


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it (an empty range names the line before)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def unified_diff(old: list[str], new: list[str], path: str, context: int = 3) -> Iterator[str]:
    """``difflib.unified_diff`` without its autojunk heuristic: in files of 200 lines or more
    that treats common lines (``- uses: ...``, blank lines) as junk and the diff shows untouched
    lines as removed and added again."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for number, group in enumerate(matcher.get_grouped_opcodes(context)):
        if number == 0:
            yield f"--- a/{path}\n"
            yield f"+++ b/{path}\n"
        (_, i1, _, j1, _), (_, _, i2, _, j2) = group[0], group[-1]
        yield f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n"
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                yield from (" " + line for line in old[a1:a2])
                continue
            yield from ("-" + line for line in old[a1:a2])
            yield from ("+" + line for line in new[b1:b2])


def diff(result: FileResult) -> str:
    """A unified diff (``git apply`` ready) of one changed file, '' when unchanged."""
    if result.new is None or result.original is None:
        return ""
    out = []
    for line in unified_diff(_lines(result.original), _lines(result.new), result.path):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _finding(path: str, finding: Finding) -> str:
    where = f"{path}:{finding.line}" if finding.line else path
    return f"{where}: {finding.code} {finding.message}"


def findings(repo: RepoResult) -> list[str]:
    """One line per fix, leave-alone reason and warning, ``path:line: CODE message``."""
    lines = []
    for result in repo.files:
        for finding in (*result.fixes, *result.skipped, *result.warnings):
            lines.append(_finding(result.path, finding))
    lines += [_finding(repo.root, w) for w in repo.warnings]
    return lines


def summary(repo: RepoResult, written: bool) -> str:
    changed = len(repo.changed)
    verb = "changed" if written else "to change"
    parts = [
        f"{changed} file(s) {verb}",
        f"{len(repo.files) - changed - len(repo.errors)} unchanged",
    ]
    if repo.errors:
        parts.append(f"{len(repo.errors)} failed")
    text = ", ".join(parts)
    if repo.deletable_secrets:
        text += "; secrets to delete once merged: " + ", ".join(repo.deletable_secrets)
    return text


def to_define(repo: RepoResult) -> list[str]:
    """What the repository must define for the expression roles its changed jobs now assume."""
    changed = {f.path for f in repo.changed}
    return role_value.to_define(c.role for c in repo.claims if c.path in changed)


def as_json(repo: RepoResult, *, mode: str, exit_code: int, diffs: bool) -> dict[str, Any]:
    data = repo.to_json()
    data.update(mode=mode, exit_code=exit_code, changed=bool(repo.changed))
    data["define"] = to_define(repo)
    if diffs:
        for entry, result in zip(data["files"], repo.files, strict=True):
            entry["diff"] = diff(result)
    return data


def subjects_json(repo: RepoResult, owner: subjects.Repo, subject_format: str) -> dict[str, Any]:
    """The sub claims each token-minting job will present, their union, and the union per role
    (``roles``; jobs called from other repositories are listed under ``unknown`` instead)."""
    jobs = []
    every: dict[str, None] = {}
    by_role: dict[str, dict[str, None]] = {}
    unknown: list[str] = []
    for claim in repo.claims:
        subs = subjects.subjects(owner, list(claim.contexts), subject_format)
        every.update(dict.fromkeys(subs))
        if claim.unknown:
            unknown.append(f"{claim.path} job {claim.job}")
        else:
            by_role.setdefault(claim.role, {}).update(dict.fromkeys(subs))
        jobs.append(
            {
                "path": claim.path,
                "job": claim.job,
                "line": claim.line,
                "role": claim.role,
                "contexts": list(claim.contexts),
                "subjects": subs,
                "notes": list(claim.notes),
                "unknown": claim.unknown,
            }
        )
    return {
        "repository": owner.full_name,
        "subject_format": subject_format,
        "subjects": sorted(every),
        "roles": {role: sorted(subs) for role, subs in by_role.items()},
        "unknown": unknown,
        "jobs": jobs,
    }
