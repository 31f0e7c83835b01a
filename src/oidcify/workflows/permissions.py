"""``permissions:`` of a workflow or job, and the permissions a job's token effectively gets.

A job-level block replaces the workflow-level one entirely; with neither, the token gets the
repository's default (permissive or restricted, set outside the file), which never includes
``id-token: write``. ``read-all`` grants read on every scope (``id-token`` has no read level, so
it stays none); ``write-all`` grants write on every scope including ``id-token``; ``{}`` grants
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple

from oidcify.workflows.nodes import Node, is_mapping, is_scalar, pairs

# Scopes GitHub documents for GITHUB_TOKEN; ``read-all`` expands to these (id-token excluded).
SCOPES: tuple[str, ...] = (
    "actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token",
    "issues", "packages", "pages", "pull-requests", "repository-projects", "security-events",
    "statuses",
)  # fmt: skip
LEVELS = ("none", "read", "write")
Kind = Literal["read-all", "write-all", "map", "invalid"]
_BULK: dict[str, Kind] = {"read-all": "read-all", "write-all": "write-all"}
_NO_SCOPES: Mapping[str, str] = MappingProxyType({})


class Permissions(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """One ``permissions:`` block: a bulk level, or scopes and their levels."""

    kind: Kind
    scopes: Mapping[str, str] = _NO_SCOPES
    line: int = 0

    def level(self, scope: str) -> str:
        """``none``, ``read`` or ``write`` for ``scope``."""
        if self.kind == "write-all":
            return "write"
        if self.kind == "read-all":
            return "none" if scope == "id-token" else "read"
        return self.scopes.get(scope, "none")

    def grants_id_token(self) -> bool:
        return self.level("id-token") == "write"


def parse(node: Node | None) -> Permissions | None:
    """The permissions a ``permissions:`` value grants; None when the key is absent."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    if is_scalar(node):
        if node.value in _BULK:
            return Permissions(_BULK[node.value], line=line)
        if node.value == "":  # `permissions:` with no value behaves like `{}`
            return Permissions("map", line=line)
        return Permissions("invalid", line=line)
    if is_mapping(node):
        scopes = {
            str(k.value): str(v.value)
            for k, v in pairs(node)
            if k.id == "scalar" and v.id == "scalar"
        }
        return Permissions("map", scopes, line=line)
    return Permissions("invalid", line=line)


def effective(workflow: Permissions | None, job: Permissions | None) -> Permissions | None:
    """What a job's token gets: its own block, else the workflow's; None means the repo default."""
    return job if job is not None else workflow
