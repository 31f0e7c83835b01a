"""A role to assume: a literal IAM role ARN, or a GitHub expression that names where the ARN
is kept (``${{ vars.X }}``, ``${{ secrets.X }}``, ``${{ inputs.X }}``,
``${{ needs.JOB.outputs.X }}``), as most teams keep the ARN out of the workflow.

An expression is checked for its shape only: one of those four forms and nothing else (no
operators, no functions, no second expression), so the workflow reads exactly one value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from oidcify import names
from oidcify.errors import InputError

_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_EXPRESSION = re.compile(
    rf"\$\{{\{{\s*(?:(?P<ctx>vars|secrets|inputs)\.(?P<name>{_NAME})"
    rf"|needs\.(?P<job>{_NAME})\.outputs\.(?P<output>{_NAME}))\s*\}}\}}"
)
ALLOWED = (
    "an IAM role ARN or one of ${{ vars.NAME }}, ${{ secrets.NAME }}, ${{ inputs.NAME }}, "
    "${{ needs.JOB.outputs.NAME }}"
)
_KIND = {"vars": "variable", "secrets": "secret", "inputs": "input"}


@dataclass(frozen=True)
class Reference:
    """Where an expression role comes from: ``kind`` is variable, secret, input or output."""

    kind: str
    name: str
    job: str | None = None

    def define(self) -> str:
        """What the repository (or the caller) must provide, for reports."""
        if self.kind == "variable":
            return f"define the Actions variable {self.name} (the role ARN)"
        if self.kind == "secret":
            return f"define the Actions secret {self.name} (the role ARN)"
        if self.kind == "input":
            return f"callers pass the input {self.name} (the role ARN)"
        return f"job {self.job} sets its output {self.name} (the role ARN)"


def is_expression(value: str | None) -> bool:
    return value is not None and value.lstrip().startswith("${{")


def reference(value: str | None) -> Reference | None:
    """The value an expression role reads; None for a literal ARN (or a malformed value)."""
    if value is None:
        return None
    match = _EXPRESSION.fullmatch(value.strip())
    if match is None:
        return None
    if match["job"]:
        return Reference("output", match["output"], match["job"])
    return Reference(_KIND[match["ctx"]], match["name"])


def require(value: object, field: str) -> str:
    """A valid role: a literal ARN (``names`` rules) or an expression of an allowed shape."""
    if isinstance(value, str) and "${{" in value:
        if reference(value) is None:
            raise InputError(f"{value!r} is not a role; allowed: {ALLOWED}", field=field)
        return value.strip()
    return names.require_role_arn(value, field)


def partition(role: str) -> str | None:
    """The ARN's partition; None for an expression (the ARN is only known at run time)."""
    return None if is_expression(role) else role.split(":")[1]


def role_name(role: str) -> str | None:
    """The role's name (last path segment); None for an expression."""
    return None if is_expression(role) else role.rsplit("/", 1)[-1]


def to_define(roles: Iterable[str | None]) -> list[str]:
    """What the repository must define for its expression roles, one sentence each."""
    found = [reference(r) for r in roles]
    return list(dict.fromkeys(ref.define() for ref in found if ref is not None))


_SESSION_EXPRESSION = re.compile(
    r"\$\{\{\s*github\.(?:run_id|run_number|run_attempt|job|sha)\s*\}\}"
)
_SESSION_TEXT = re.compile(r"[\w+=,.@-]*")


def session_name(template: str, field: str) -> str:
    """A ``role-session-name`` template: AWS's characters (``[\\w+=,.@-]``), at most 64 once
    filled in, and expressions only of ``github.run_id``, ``run_number``, ``run_attempt``,
    ``job`` or ``sha`` (values a run cannot choose itself)."""
    text = _SESSION_EXPRESSION.sub("", template)
    if not _SESSION_TEXT.fullmatch(text) or "${{" in text:
        raise InputError(
            f"{template!r}: allowed are letters, digits, +=,.@_- and the expressions "
            "${{ github.run_id }}, run_number, run_attempt, job, sha",
            field=field,
        )
    if not template:
        raise InputError("empty; give a name such as gha-${{ github.run_id }}", field=field)
    return template
