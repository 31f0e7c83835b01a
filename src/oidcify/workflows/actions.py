"""``uses:`` values parsed: actions, local actions, Docker images, reusable workflows.

A SHA-pinned reference's version comes from the comment after it (``@<sha> # v4.1.0``), the
convention Dependabot, Renovate and pin tools follow.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

Kind = Literal["action", "local", "docker", "workflow", "local-workflow"]

_VERSION = re.compile(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[\w.]+)?")
_SHA = re.compile(r"[0-9a-f]{40}")
_COMMENT_VERSION = re.compile(r"#\s*(?:tag\s*[:=]?\s*)?(v?\d+(?:\.\d+){0,2})")
_WORKFLOW_PATH = re.compile(r"\.github/workflows/[^/]+\.ya?ml")


class ActionRef(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """A ``uses:`` value taken apart."""

    raw: str
    kind: Kind
    owner: str = ""
    repo: str = ""
    path: str = ""
    ref: str = ""
    comment_version: str | None = None

    @property
    def action(self) -> str:
        """``owner/repo`` (lower-cased: GitHub owner and repo names are case-insensitive)."""
        return f"{self.owner}/{self.repo}".lower()

    @property
    def is_sha(self) -> bool:
        return _SHA.fullmatch(self.ref) is not None

    @property
    def version(self) -> tuple[int, ...] | None:
        """The version the ref names, from the ref or from a SHA pin's comment; None if unknown."""
        text = self.comment_version if self.is_sha else self.ref
        match = _VERSION.fullmatch(text or "")
        if not match:
            return None
        return tuple(int(part) for part in match.groups() if part is not None)


def parse_uses(raw: str, comment: str = "") -> ActionRef:
    value = raw.strip()
    if value.startswith("./"):
        path = value[2:]
        return ActionRef(raw, "local-workflow" if _WORKFLOW_PATH.fullmatch(path) else "local",
                         path=path)  # fmt: skip
    if value.startswith("docker://"):
        return ActionRef(raw, "docker", path=value)
    name, _, ref = value.partition("@")
    owner, _, rest = name.partition("/")
    repo, _, path = rest.partition("/")
    match = _COMMENT_VERSION.search(comment)
    kind: Kind = "workflow" if _WORKFLOW_PATH.fullmatch(path) else "action"
    return ActionRef(raw, kind, owner, repo, path, ref, match.group(1) if match else None)


def line_comment(text: str, end: int) -> str:
    """The comment that follows position ``end`` on its line, or ''."""
    stop = text.find("\n", end)
    rest = text[end : stop if stop >= 0 else len(text)]
    hash_at = rest.find("#")
    return rest[hash_at:].rstrip("\r") if hash_at >= 0 and not rest[:hash_at].strip() else ""
