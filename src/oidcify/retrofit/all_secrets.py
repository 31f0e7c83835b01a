"""Workflows that may use any secret: a job that hands every secret on (``secrets: inherit``) to
a reusable workflow oidcify has not read, or an expression that reads the secrets context as a
whole or by a computed name (``toJSON(secrets)``, ``secrets[matrix.name]``).

While one of them is there no secret is called deletable: its name appears nowhere, yet the run
may read it. ``secrets: inherit`` to a workflow of this repository that was parsed is precise
instead: that workflow's own uses of secrets are counted like any other workflow's. Files that
were not parsed (failed workflows, actions) are searched as raw text, which can only keep more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from oidcify.workflows.expressions import whole_secrets
from oidcify.workflows.model import Workflow
from oidcify.workflows.nodes import MappingNode, Node, ScalarNode, SequenceNode, get_pair

Texts = Mapping[str, str | None]

_INHERIT = re.compile(r"""^[ \t-]*secrets[ \t]*:[ \t]*['"]?inherit\b""", re.MULTILINE)


def reasons(workflows: Mapping[str, Workflow], others: Texts) -> list[str]:
    """Why every secret may still be used, one ``PATH:LINE what`` per place, in path order."""
    found: list[tuple[str, int, str]] = []
    for path, wf in workflows.items():
        found += [(path, line, why) for line, why in _in_workflow(wf, workflows)]
    for path, text in others.items():
        found += [(path, line, why) for line, why in _in_text(text or "")]
    return [f"{path}:{line} {why}" for path, line, why in sorted(found)]


def _in_workflow(wf: Workflow, workflows: Mapping[str, Workflow]) -> Iterator[tuple[int, str]]:
    for job in wf.jobs.values():
        if job.uses is None or not isinstance(job.secrets, str):
            continue
        if job.uses.kind == "local-workflow" and job.uses.path in workflows:
            continue
        pair = get_pair(job.node, "secrets")
        line = pair[0].start_mark.line + 1 if pair else job.line
        yield line, f"passes every secret to {job.uses.raw.strip()} (secrets: inherit)"
    for line, value in _scalars(wf.node):
        if (expression := whole_secrets(value)) is not None:
            yield line, f"reads the whole secrets context (${{{{ {expression} }}}})"


def _in_text(text: str) -> Iterator[tuple[int, str]]:
    for match in _INHERIT.finditer(text):
        yield _line(text, match.start()), "passes every secret on (secrets: inherit)"
    if (expression := whole_secrets(text)) is not None:
        at = text.find(expression)
        yield _line(text, at), f"reads the whole secrets context (${{{{ {expression} }}}})"


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, max(index, 0)) + 1


def _scalars(node: Node) -> Iterator[tuple[int, str]]:
    if isinstance(node, ScalarNode):
        if isinstance(node.value, str) and "secrets" in node.value:
            yield node.start_mark.line + 1, node.value
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            if value.start_mark.index >= key.end_mark.index:  # aliases are visited at the anchor
                yield from _scalars(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item)


__all__ = ["reasons"]
