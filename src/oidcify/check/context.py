"""Everything the rules of one check can read: the options, the loaded files grouped by
repository, actionlint's findings, the trust policies and their coverage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from oidcify import repoinfo
from oidcify.check.findings import Finding
from oidcify.check.loading import Loaded
from oidcify.check.oidc import Repo
from oidcify.check.options import Options
from oidcify.workflows.model import Workflow

_OWNER_REPO = re.compile(r"(?:(?:https?://)?github\.com/)?([\w.-]+)/([\w.-]+?)(?:\.git)?/?")

if TYPE_CHECKING:  # trust coverage is imported only when a policy is given
    from oidcify.check.coverage import Coverage
    from oidcify.check.identity import Identity
    from oidcify.check.policies import TrustPolicy


class Context:  # a plain class, not a dataclass: see workflows/model.py
    """What the rules of one check read (see the module's docstring)."""

    def __init__(
        self, options: Options, files: list[Loaded], repos: list[tuple[Repo, list[Loaded]]]
    ) -> None:
        self.options = options
        self.files = files
        named = _repository(options.repo)
        self.repos = [(r._replace(name=named), f) for r, f in repos] if named else repos
        self.actionlint: list[Finding] = []
        self.policies: list[TrustPolicy] = []
        self.coverage: Coverage | None = None
        self.identity: Identity | None = None
        self.extra_files: list[Path] = []  # scanned for conflict leftovers

    def targets(self) -> list[Loaded]:
        return [f for f in self.files if f.source.target]

    def workflows(self) -> Iterator[tuple[Loaded, Workflow, Repo]]:
        """Each target file that has a model, with the repository it belongs to."""
        for repo, files in self.repos:
            for loaded in files:
                if loaded.source.target and loaded.workflow is not None:
                    yield loaded, loaded.workflow, repo

    def actionlint_reported(self, path: str) -> bool:
        return any(f.path == path for f in self.actionlint)


def _repository(value: str | None) -> str | None:
    """OWNER/REPO from ``--repo`` (``github.com/`` and ``.git`` allowed), None if it is not one."""
    match = _OWNER_REPO.fullmatch((value or "").strip())
    return f"{match.group(1)}/{match.group(2)}" if match else None


def _origin(root: Path | None) -> str | None:
    found = repoinfo.origin_repository(root) if root is not None else None
    return "/".join(found) if found else None


def group(files: list[Loaded]) -> list[tuple[Repo, list[Loaded]]]:
    """Files of one repository together (their reusable workflows and callers see each other),
    named by the checkout's ``origin`` remote when it is on GitHub; a file outside any
    ``.github/workflows`` is a repository of its own."""
    by_root: dict[object, list[Loaded]] = {}
    for loaded in files:
        root = loaded.source.root
        key: object = root.resolve() if root is not None else ("alone", loaded.source.path)
        by_root.setdefault(key, []).append(loaded)
    return [
        (
            Repo(
                {f.workflow.path: f.workflow for f in members if f.workflow is not None},
                _origin(members[0].source.root),
            ),
            members,
        )
        for members in by_root.values()
    ]


def displays(files: list[Loaded]) -> dict[str, str | None]:
    """Model key -> display path of one repository's files (None: context, not reported)."""
    return {
        f.workflow.path: f.source.display if f.source.target else None
        for f in files
        if f.workflow is not None
    }
