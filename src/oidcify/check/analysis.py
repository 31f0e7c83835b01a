"""oidcify's side of a check: load every file once, judge the trust policies, run the rules, and
merge in actionlint's findings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from oidcify import conflicts
from oidcify.check import loading
from oidcify.check.actionlint import ActionlintProcess
from oidcify.check.context import Context, displays, group
from oidcify.check.findings import Finding, Report, RuleInfo, actionlint_rule
from oidcify.check.options import Options
from oidcify.check.sources import Source, display
from oidcify.rules import after_actionlint, selected

if TYPE_CHECKING:
    from oidcify.check.policies import TrustPolicy


def _policies(options: Options, cwd: Path, extra: list[Path]) -> list[TrustPolicy]:
    if not options.trust_policies and not options.terraform:
        return []
    # Trust coverage's modules load only when a policy is given.
    from oidcify.check.policies import from_file
    from oidcify.check.terraform import folder

    found = [from_file(path, display(Path(path), cwd) if path != "-" else "<stdin>")
             for path in options.trust_policies]  # fmt: skip
    if options.terraform:
        policies, files = folder.load(Path(options.terraform), cwd)
        found += policies
        extra += files
    return found


def _leftover_files(args: list[str], files: list[loading.Loaded]) -> list[Path]:
    """``.rej`` files below the folders checked, and the Copier answers of each repository."""
    found: list[Path] = []
    for arg in args:
        if Path(arg).is_dir():
            found += conflicts.rejects(Path(arg))
    roots = {f.source.root for f in files if f.source.root is not None}
    found += [r / ".copier-answers.yml" for r in roots if (r / ".copier-answers.yml").is_file()]
    return found


def _coverage(ctx: Context, cwd: Path) -> None:
    from oidcify import repoinfo
    from oidcify.check import coverage as coverage_mod
    from oidcify.check import identity as identity_mod

    options = ctx.options
    roots = [f.source.root for f in ctx.targets() if f.source.root is not None]
    root = roots[0] if roots else cwd
    notes: list[str] = []
    ctx.identity = identity_mod.resolve(
        repo=options.repo, root=root, policies=ctx.policies,
        subject_format=options.subject_format, ids=options.ids, notes=notes,
    )  # fmt: skip
    ctx.coverage = coverage_mod.Coverage(notes=notes)
    for repo, members in ctx.repos:
        member_root = members[0].source.root
        branch = options.default_branch or (
            repoinfo.default_branch(member_root) if member_root else None
        )
        coverage_mod.cover(repo, displays(members), ctx.identity, ctx.policies,
                           default_branch=branch or "main", coverage=ctx.coverage)  # fmt: skip


def analyse(
    options: Options, found: list[Source], args: list[str], rej: list[Path],
    run: ActionlintProcess | None, *,
    restart: Callable[[set[str]], ActionlintProcess | None] | None = None,
) -> Report:  # fmt: skip
    cwd = options.cwd or Path.cwd()
    rules = selected(options.enable, options.disable, options.select)
    everything = any(not r.INFO.default for r in rules)
    files = [loading.load(source, everything=everything) for source in found]
    unreadable = {
        str(f.source.path) for f in files if f.source.target and f.text is None
        and (f.error or "").startswith("cannot read")
    }  # fmt: skip
    if run is not None and unreadable and restart is not None:
        run = restart(unreadable)
    ctx = Context(options, files, group(files))
    ctx.extra_files = rej + _leftover_files(args, files)
    ctx.policies = _policies(options, cwd, ctx.extra_files)
    if ctx.policies:
        _coverage(ctx, cwd)
    # Rules that do not read actionlint's findings run while actionlint still runs.
    early, late = (
        [r for r in rules if not after_actionlint(r)],
        [r for r in rules if after_actionlint(r)],
    )
    own: list[Finding] = [finding for rule in early for finding in rule.check(ctx)]
    if run is not None:
        ctx.actionlint = run.findings({str(f.source.path): f.source.display for f in files})
    own += [finding for rule in late for finding in rule.check(ctx)]
    metadata: dict[str, RuleInfo] = {r.INFO.id: r.INFO for r in rules}
    for finding in ctx.actionlint:
        if finding.rule not in metadata:  # once per kind, not once per finding
            metadata[finding.rule] = actionlint_rule(finding.rule.split(":", 1)[1])
    targets = [f for f in files if f.source.target]
    notes = ctx.coverage.notes if ctx.coverage else []
    return Report(_merged(ctx.actionlint + own), metadata, len(targets), list(dict.fromkeys(notes)))


def _merged(findings: list[Finding]) -> list[Finding]:
    """Without duplicates (the first of equal findings kept), by place, then rule and message:
    the same order every time, and the keys are compared and hashed as plain tuples."""
    unique = {(f.path, f.line, f.column, f.rule, f.message): f for f in reversed(findings)}
    return [unique[key] for key in sorted(unique)]
