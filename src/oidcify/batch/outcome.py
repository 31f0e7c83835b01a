"""Plain values that cross between the batch's parent process and its workers.

The parent never imports the retrofit (nor ruamel): a worker turns each repository's
``RepoResult`` into an ``Outcome`` of strings, lists and dicts, small enough that sending it
back costs little, and already shaped like the ``--report`` JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from oidcify.batch.roles import RoleSource

CHANGED = "changed"
UNCHANGED = "unchanged"
SKIPPED = "skipped"
FAILED = "failed"
NOT_RUN = "not run"
STATUSES = (CHANGED, UNCHANGED, SKIPPED, FAILED, NOT_RUN)


@dataclass(frozen=True)
class Target:
    path: str
    label: str

    @property
    def directory(self) -> str:
        """The checkout directory's own name (``{name}`` in a role template)."""
        return Path(self.path).resolve().name


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs besides the targets; sent once to each worker process."""

    mode: str  # "diff", "write" or "check"
    roles: RoleSource = field(default_factory=RoleSource)
    region: str | None = None
    upgrade_actions: bool = False
    role_chaining: bool = False
    keep_action_versions: bool = False
    role_session_name: str | None = None
    branch: str | None = None  # set with --commit: commit on this new branch
    diffs: bool = False  # return each changed repository's unified diff


@dataclass
class Outcome:
    label: str
    path: str
    status: str
    reason: str = ""
    repository: str | None = None  # OWNER/REPO on GitHub, when known
    repository_id: str | None = None  # its numeric id on GitHub, when the template's answers say
    role_arn: str | None = None  # the role newly migrated jobs assume
    role_source: str | None = None  # --role-arn, --roles-csv, or the repository's own setting
    role_for: list[list[str]] = field(default_factory=list)  # [selector, role] pairs
    role_names: dict[str, str] = field(default_factory=dict)  # expression role -> --role-name
    define: list[str] = field(default_factory=list)  # variables/secrets the repository defines
    changed_files: list[str] = field(default_factory=list)
    fixes: list[dict[str, Any]] = field(default_factory=list)
    left_alone: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    deletable_secrets: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    branch: str | None = None
    commit: str | None = None
    diff: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("diff")
        return data

    def codes(self, kind: str) -> list[str]:
        """The IDs of one kind of finding: ``warnings`` or ``left_alone``."""
        found: list[dict[str, Any]] = getattr(self, kind)
        return [str(f["code"]) for f in found]
