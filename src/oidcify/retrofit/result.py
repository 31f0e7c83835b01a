"""What the retrofit returns: plain, picklable values (no YAML nodes), so ``oidcify batch`` can
run it in worker processes and ``--format json`` can print it as is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    code: str
    line: int
    message: str
    job: str | None = None


@dataclass(frozen=True)
class JobClaims:
    """The sub contexts one token-minting job can present after the change."""

    path: str
    job: str
    line: int
    role: str
    contexts: tuple[str, ...]
    notes: tuple[str, ...] = ()
    unknown: bool = False  # called from other repositories: the subjects cannot be known here


@dataclass
class FileResult:
    path: str
    original: str | None = None
    new: str | None = None
    fixes: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        return "changed" if self.new is not None else "unchanged"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "fixes": [asdict(f) for f in self.fixes],
            "skipped": [asdict(f) for f in self.skipped],
            "warnings": [asdict(f) for f in self.warnings],
            "error": self.error,
        }


@dataclass
class RepoResult:
    root: str
    files: list[FileResult] = field(default_factory=list)
    deletable_secrets: list[str] = field(default_factory=list)
    claims: list[JobClaims] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)  # about the repository as a whole
    needs_role: bool = False

    @property
    def changed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "changed"]

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "error"]

    def to_json(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "files": [f.to_json() for f in self.files],
            "deletable_secrets": self.deletable_secrets,
            "warnings": [asdict(w) for w in self.warnings],
            "claims": [asdict(c) for c in self.claims],
        }
