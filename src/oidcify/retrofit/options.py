"""The retrofit's settings, resolved from flags and config before the core runs (picklable)."""

from __future__ import annotations

from dataclasses import dataclass

# Used while planning without a role (``--check``, ``--print-subjects``): never written.
ROLE_PLACEHOLDER = "arn:aws:iam::<ACCOUNT_ID>:role/<ROLE_NAME>"


@dataclass(frozen=True)
class Options:
    role_arn: str | None = None
    region: str | None = None
    upgrade_actions: bool = False
    role_chaining: bool = False
    default_branch: str = "main"
    repository: str | None = None  # OWNER/REPO: which full-path reusable-workflow calls are local
    role_for: tuple[tuple[str, str], ...] = ()  # (selector, role), see ``selectors``
    keep_action_versions: bool = False  # keep even majors current runners cannot run
    role_session_name: str | None = None
    role_input: bool = False  # cross-repository reusable workflows take the role as an input

    @property
    def role(self) -> str:
        return self.role_arn or ROLE_PLACEHOLDER
