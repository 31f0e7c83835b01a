"""What a check reports: rules (stable id, severity, one-line summary, help) and findings
located at ``path:line:column``.

``RuleInfo`` and ``Finding`` are NamedTuples: a check over many files makes thousands of
findings after actionlint is done, when nothing else runs, and a NamedTuple is made in less
than half the time of a frozen dataclass (and hashed in C). Merging compares findings by
place, rule and message (``analysis``), not by tuple equality.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")
ACTIONLINT_PREFIX = "actionlint:"
ACTIONLINT_DOCS = "https://github.com/rhysd/actionlint/blob/main/docs/checks.md"
# The one place that names oidcify's canonical repository (SARIF's helpUri, docs/rules.md).
REPOSITORY_URL = "https://github.com/oidcify/oidcify"
RULES_DOC_URL = f"{REPOSITORY_URL}/blob/main/docs/rules.md"
# actionlint's check kinds and their sections of docs/checks.md.
_ACTIONLINT_ANCHORS = {
    "syntax-check": "check-unexpected-keys", "expression": "check-syntax-expression",
    "shellcheck": "check-shellcheck-integ", "pyflakes": "check-pyflakes-integ",
    "job-needs": "check-job-deps", "matrix": "check-matrix-values",
    "events": "check-webhook-events", "glob": "check-glob-pattern",
    "runner-label": "check-runner-labels", "action": "check-action-format",
    "credentials": "check-hardcoded-credentials", "env-var": "check-env-var-names",
    "permissions": "permissions", "workflow-call": "check-reusable-workflows",
    "id": "check-job-step-ids", "deprecated-commands": "check-deprecated-workflow-commands",
    "if-cond": "if-cond-always-true", "shell-name": "check-shell-names",
}  # fmt: skip


class RuleInfo(NamedTuple):
    """A rule's identity: ``id`` never changes meaning once released."""

    id: str
    name: str
    severity: Severity
    summary: str  # one line: what is wrong
    help: str  # why it matters and how to fix it
    default: bool = True  # False: only with --enable / --select
    tags: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The section of docs/rules.md (or of actionlint's checks.md) that describes it."""
        if self.id.startswith(ACTIONLINT_PREFIX):
            return _ACTIONLINT_ANCHORS.get(self.id[len(ACTIONLINT_PREFIX) :], "")
        return f"{self.id.lower()}-{self.name}"

    @property
    def help_uri(self) -> str:
        base = ACTIONLINT_DOCS if self.id.startswith(ACTIONLINT_PREFIX) else RULES_DOC_URL
        return f"{base}#{self.anchor}" if self.anchor else base

    def at(
        self, path: str, line: int, message: str, *, column: int = 1,
        severity: Severity | None = None,
    ) -> Finding:  # fmt: skip
        return Finding(self.id, path, line, column, message, severity or self.severity)


class Example(NamedTuple):
    """A rule's examples for docs/rules.md: what it reports, and the fix (``lang``: the code
    block's language, ``yaml`` for workflows, ``json`` for trust policies)."""

    bad: str
    good: str
    lang: str = "yaml"


class Finding(NamedTuple):
    """One problem at ``path:line:column``, from an own rule or from actionlint."""

    rule: str
    path: str  # as shown to the user: relative to the working directory where possible
    line: int  # 1-based; 0 for a whole file
    column: int  # 1-based
    message: str
    severity: Severity = "error"

    @property
    def source(self) -> str:
        return "actionlint" if self.rule.startswith(ACTIONLINT_PREFIX) else "oidcify"


def actionlint_rule(kind: str) -> RuleInfo:
    """Rule metadata for one actionlint check kind (``syntax-check``, ``expression`` ...)."""
    return RuleInfo(
        id=f"{ACTIONLINT_PREFIX}{kind}",
        name=f"actionlint-{kind}",
        severity="error",
        summary=f"actionlint: {kind}",
        help=f"Reported by actionlint's {kind!r} check; see {ACTIONLINT_DOCS}",
        tags=("actionlint",),
    )


class Report:  # a plain class, not a dataclass: see workflows/model.py
    """What a check found: its findings, sorted, and what the output needs to describe them."""

    def __init__(
        self, findings: list[Finding], rules: dict[str, RuleInfo], files: int,
        notes: list[str] | None = None,
    ) -> None:  # fmt: skip
        self.findings = findings
        self.rules = rules  # every rule a finding refers to, plus the enabled own rules
        self.files = files  # workflow files checked
        self.notes = notes or []  # things the user should know, not findings

    @property
    def clean(self) -> bool:
        return not self.findings
