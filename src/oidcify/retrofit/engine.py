"""Retrofit a repository's workflows: plan each file, settle what reusable workflows and their
callers mean for each other, splice the edits, and verify every changed file.

Verification is the safety net: a changed file is parsed again and must equal the original data
with exactly the planned operations applied. If it does not, or an edit meets YAML it cannot
change safely, the file is left untouched with an OS010 reason, and the plan is settled again
without it (its callers then keep passing what it still needs).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from oidcify.errors import InputError
from oidcify.pins import Pin, load_pins
from oidcify.retrofit import (
    elsewhere,
    fix_cac,
    fix_env,
    fix_insert,
    fix_login,
    fix_permissions,
    fix_reusable,
    fix_role_input,
    summary,
    sweep,
)
from oidcify.retrofit import links as symlinks
from oidcify.retrofit.context import CAC, FileContext, RepoFacts
from oidcify.retrofit.layout import CannotEdit
from oidcify.retrofit.options import Options
from oidcify.retrofit.result import FileResult, Finding, RepoResult
from oidcify.workflows import callers, discover, read_text
from oidcify.workflows.model import Workflow, build
from oidcify.workflows.nodes import NULL_TAG, NoDocument, compose, is_scalar, to_data

FIXES = (fix_cac, fix_login, fix_env, fix_insert, fix_role_input, fix_reusable, fix_permissions)


@functools.cache
def cac_pin() -> Pin:
    """The pinned configure-aws-credentials release (read once per process)."""
    return load_pins()[CAC]


def external_reusable(
    workflows: Mapping[str, Workflow], repository: str | None = None
) -> frozenset[str]:
    """Reusable workflows that only ``workflow_call`` triggers and no workflow here calls (by
    its local path, or in full naming this repository): their callers are in other
    repositories, and so is the repository their tokens name."""
    return frozenset(
        path
        for path, wf in workflows.items()
        if set(wf.triggers) == {"workflow_call"}
        and not any(callers.callers(workflows, path, repository))
    )


@dataclass
class Planner:
    options: Options
    pin: Pin
    present: frozenset[str]
    frozen: dict[str, str] = field(default_factory=dict)  # path -> why it is left untouched

    def plan(self, wf: Workflow, facts: RepoFacts, known: frozenset[str]) -> FileContext:
        ctx = FileContext(wf, self.options, self.pin, facts)
        if wf.path not in self.frozen:
            try:
                for fix in FIXES:
                    fix.plan(ctx)
                sweep.plan(ctx, known)
                return ctx
            except CannotEdit as err:
                self.frozen[wf.path] = str(err)
        ctx = FileContext(wf, self.options, self.pin, facts)
        ctx.skip("OS010", 1, f"left untouched: {self.frozen[wf.path]}")
        return ctx

    def settle(self, workflows: Mapping[str, Workflow]) -> dict[str, FileContext]:
        """Plan every file until no file's plan changes what another file may do."""
        external = external_reusable(workflows, self.options.repository)
        facts = RepoFacts(self.present, external=external)
        known: frozenset[str] = frozenset()
        for _ in range(len(workflows) + 2):
            contexts = {p: self.plan(wf, facts, known) for p, wf in workflows.items()}
            new_known = frozenset().union(*(c.key_secrets for c in contexts.values()))
            new_facts = RepoFacts(
                self.present,
                {
                    p: frozenset(c.dropped_declared)
                    for p, c in contexts.items()
                    if c.dropped_declared
                },
                frozenset(p for p, c in contexts.items() if c.wf.is_reusable and c.minting),
                {
                    p: tuple(sorted(c.requested.items()))
                    for p, c in contexts.items()
                    if c.wf.is_reusable and c.minting
                },
                external,
            )
            if (new_facts, new_known) == (facts, known):
                break
            facts, known = new_facts, new_known
        return contexts


def render(ctx: FileContext) -> str | None:
    """The verified new text, None when nothing changes; CannotEdit when unsafe."""
    if not ctx.patch.edits:
        return None
    new = ctx.patch.apply()
    if new == ctx.wf.text:
        return None
    try:
        before = to_data(ctx.wf.node)
    except ValueError as err:  # GitHub refuses such a file too: the user fixes it first
        raise CannotEdit(
            f"the original file has a {err} (GitHub refuses such a file too); fix it first"
        ) from None
    try:
        expected = ctx.patch.expected(before)
        after = to_data(compose(new, ctx.wf.path))
    except (InputError, ValueError, KeyError, IndexError, TypeError) as err:
        raise CannotEdit(f"the edited file could not be checked ({err})") from None
    if after != expected:
        raise CannotEdit("the edited file did not parse to exactly the intended change")
    return new


NO_DOCUMENT = Finding(
    "OS011", 0, "no YAML document (the file is empty, only comments, or ~): nothing to change"
)


def parse(path: str, text: str) -> Workflow | None:
    """The workflow in ``text``; None when there is none (empty, comments only, a bare null)."""
    try:
        root = compose(text, path)
    except NoDocument:
        return None
    if is_scalar(root) and root.tag == NULL_TAG:
        return None
    return build(path, text, root)


def retrofit_texts(
    files: Mapping[str, str],
    options: Options,
    *,
    root: str = ".",
    errors: Mapping[str, str] | None = None,
    others: elsewhere.Texts | None = None,
    links: Mapping[str, str] | None = None,
) -> RepoResult:
    """Retrofit workflow texts keyed by repository-relative path (``errors``: files that could
    not be read, with their message; ``others``: the texts of other files that may use secrets,
    see ``elsewhere``; ``links``: workflow paths that are symlinks, with the repository-relative
    path of their file, see ``links``). Pure: nothing is read or written."""
    results = {p: FileResult(p, error=m) for p, m in (errors or {}).items()}
    workflows: dict[str, Workflow] = {}
    links = links or {}
    planned_as = symlinks.planned_as(files, links)
    for path, text in files.items():
        if planned_as[path] != path:  # another name of a file planned under planned_as[path]
            results[path] = symlinks.left_alone(path, text, links[path])
            continue
        results[path] = FileResult(path, original=text)
        try:
            workflow = parse(path, text)
        except InputError as err:
            results[path].error = err.message
            continue
        if workflow is None:
            results[path].skipped.append(NO_DOCUMENT)
        else:
            workflows[path] = workflow
    planner = Planner(options, cac_pin(), frozenset(results))
    while True:
        contexts = planner.settle(workflows)
        new_texts: dict[str, str | None] = {}
        for path, ctx in contexts.items():
            try:
                new_texts[path] = render(ctx)
            except CannotEdit as err:
                planner.frozen[path] = str(err)
        if len(new_texts) == len(contexts):
            break
    for path, ctx in contexts.items():
        result = results[path]
        result.new = new_texts[path]
        result.fixes, result.skipped, result.warnings = ctx.fixes, ctx.skipped, ctx.warnings
    repo = RepoResult(root, files=symlinks.relocate(results, links))
    failed = {r.path: r.original for r in repo.errors}
    summary.complete(repo, workflows, contexts, options, {**failed, **(others or {})})
    return repo


def retrofit_repo(root: Path, options: Options) -> RepoResult:
    """Read ``root``'s workflows and retrofit them (nothing is written)."""
    texts: dict[str, str] = {}
    errors: dict[str, str] = {}
    raw: dict[str, str | None] = {}  # what the files that failed to read hold, for secrets
    links: dict[str, str] = {}
    for relative in discover(root):
        try:
            texts[relative.as_posix()] = read_text(root, relative)
        except InputError as err:
            errors[relative.as_posix()] = err.message
            raw[relative.as_posix()] = elsewhere.read_failed(root, relative.as_posix())
            continue
        if (root / relative).is_symlink():  # read_text made sure it stays inside the repository
            real = (root / relative).resolve().relative_to(root.resolve())
            links[relative.as_posix()] = real.as_posix()
    skip = [*texts, *errors, *links.values()]
    others = {**elsewhere.read_others(root, texts, skip), **raw}
    return retrofit_texts(texts, options, root=str(root), errors=errors, others=others, links=links)
