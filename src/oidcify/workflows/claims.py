"""Which OIDC ``sub`` contexts each trigger and environment of a job lead to; the runs they
make up, with callers and ``if:``, are ``oidcify.workflows.runs``.

Rules (GitHub's OIDC reference; ``oidcify.sub_contexts`` builds the strings): a job with an
environment always presents ``environment:NAME``; otherwise a ``pull_request`` run presents
``pull_request``; otherwise the run's ref. Which refs a trigger runs on:

- ``push``: its branch and tag filters; no filter at all means every branch and tag, branch
  filters alone mean no tags and vice versa;
- ``pull_request_target``: the base branches; ``release``: tags; ``workflow_dispatch``,
  ``create``, ``delete``, ``deployment*``: any branch or tag; ``merge_group``: the merge queue's
  ``gh-readonly-queue/*`` branches; other ``pull_request_*`` events: ``refs/pull/*/merge``;
- ``workflow_call``: whatever the callers present (``workflows.runs``);
- anything else (``schedule``, ``workflow_run``, ``issues`` ...): the default branch.

A context with ``*`` is a pattern (IAM ``StringLike``); ``exact`` says whether the pattern
admits exactly the refs GitHub's filter does (GitHub's ``*`` stops at ``/``, IAM's does not).
A filter with a character IAM has no counterpart for (``?``, ``+``, ``[]``) becomes the pattern
cut there and ended with ``*`` (``filter_pattern``: ``v[0-9]+.*`` admits ``refs/tags/v*``), so
the policy admits every ref the filter runs on; ``if:`` tests read the ref as that pattern.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from oidcify import sub_contexts
from oidcify.workflows.model import Job
from oidcify.workflows.triggers import Trigger

_ANY_REF_EVENTS = ("workflow_dispatch", "create", "delete", "deployment", "deployment_status")
_MATRIX_REF = re.compile(r"\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}")


class Claim(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    context: str
    event: str
    exact: bool = True
    note: str = ""

    @property
    def ref(self) -> str | None:
        """The ref (or pattern of refs) a run with this context is on; None when not known."""
        if self.context == sub_contexts.PULL_REQUEST_CONTEXT:
            return "refs/pull/*/merge"
        if self.context.startswith("ref:"):
            return self.context[4:].replace("%3A", ":")
        return None


# GitHub filter characters IAM's StringLike has no counterpart for ('*' has one, '?' means
# "zero or one of the preceding character" in GitHub but "exactly one character" in IAM).
_GITHUB_ONLY = re.compile(r"[?+\[\]!\\]")


def filter_pattern(pattern: str) -> tuple[str, bool]:
    """A GitHub branch or tag filter as an IAM ``StringLike`` pattern that admits every ref the
    filter matches, and whether the two admit exactly the same refs.

    ``*`` and ``**`` become ``*``. From the first character IAM cannot express (``?``, ``+``,
    ``[]``, ``!``, ``\\``) on, the pattern is cut and ends in ``*``: ``v[0-9]+.[0-9]+`` becomes
    ``v*``. A ``?`` makes the character before it optional, so the cut goes before that one.
    """
    match = _GITHUB_ONLY.search(pattern)
    if match is None:
        return re.sub(r"\*+", "*", pattern), "*" not in pattern
    cut = match.start() - 1 if match.group() == "?" and match.start() > 0 else match.start()
    return re.sub(r"\*+", "*", pattern[:cut] + "*"), False


def _refs(kind: str, patterns: tuple[str, ...] | None, event: str) -> list[Claim]:
    build = sub_contexts.branch_context if kind == "heads" else sub_contexts.tag_context
    if patterns is None:
        return [Claim(build("*"), event, exact=False)]
    claims = []
    for pattern in patterns:
        if pattern.startswith("!"):
            continue  # a negation only narrows what the positive patterns admit
        iam, exact = filter_pattern(pattern)
        note = ""
        if _GITHUB_ONLY.search(pattern):  # say so: the subject admits more than the filter
            note = f"filter {pattern!r} has characters IAM lacks: admitted as {iam!r}"
        claims.append(Claim(build(iam), event, exact, note))
    return claims


def _push(trigger: Trigger) -> list[Claim]:
    branch_filter = trigger.branches is not None or trigger.branches_ignore is not None
    tag_filter = trigger.tags is not None or trigger.tags_ignore is not None
    claims: list[Claim] = []
    if branch_filter or not tag_filter:
        claims += _refs("heads", trigger.branches, "push")
    if tag_filter or not branch_filter:
        claims += _refs("tags", trigger.tags, "push")
    return claims


def trigger_claims(trigger: Trigger, default_branch: str) -> list[Claim]:
    """The ref-based contexts one trigger leads to (environments aside)."""
    event = trigger.event
    if event == "push":
        return _push(trigger)
    if event == "pull_request":
        return [Claim(sub_contexts.PULL_REQUEST_CONTEXT, event)]
    if event == "pull_request_target":
        return _refs("heads", trigger.branches, event)
    if event.startswith("pull_request"):
        return [Claim(sub_contexts.ref_context("refs/pull/*/merge"), event, exact=False)]
    if event == "release":
        return _refs("tags", None, event)
    if event == "merge_group":
        return [Claim(sub_contexts.branch_context("gh-readonly-queue/*"), event, exact=False)]
    if event in _ANY_REF_EVENTS:
        return _refs("heads", None, event) + _refs("tags", None, event)
    return [
        Claim(sub_contexts.branch_context(default_branch), event, note="runs on the default branch")
    ]


def _matrix_values(strategy: Any, name: str) -> list[str] | None:
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if not isinstance(matrix, dict):
        return None
    values, include = matrix.get(name), matrix.get("include")
    if isinstance(values, str) or isinstance(include, str):
        return None  # an expression (`${{ fromJSON(vars.ENVS) }}`) can bring any value
    found = [v for v in values if isinstance(v, str)] if isinstance(values, list) else []
    for extra in include or []:
        if isinstance(extra, dict) and isinstance(extra.get(name), str):
            found.append(extra[name])
    return list(dict.fromkeys(found)) or None


def environment_claims(job: Job) -> list[Claim] | None:
    """Environment contexts when the job names one; None when it does not."""
    env = job.environment
    if not env:
        return None
    if "${{" not in env:
        return [Claim(sub_contexts.environment_context(env), "*")]
    match = _MATRIX_REF.fullmatch(env.strip())
    values = _matrix_values(job.strategy, match.group(1)) if match else None
    if values and all("${{" not in v for v in values):
        return [Claim(sub_contexts.environment_context(v), "*") for v in values]
    return [
        Claim(
            sub_contexts.environment_context("*"),
            "*",
            exact=False,
            note=f"environment from an expression: {env.strip()}",
        )
    ]
