"""OR009 and OW011: reusable workflows that only other repositories call.

A called workflow's token names the calling repository, so the ``sub`` claims of such a workflow
are unknown here, and a role hard-coded in it must trust every caller. Without ``--role-input``
the role is written as asked and OW011 says so (the subjects are kept out of trust output). With
``--role-input`` the steps assume ``${{ inputs.role-to-assume }}`` and ``on.workflow_call``
declares that input (required, a string): each calling repository passes its own role.
"""

from __future__ import annotations

from oidcify.retrofit.context import INPUT_ROLE, ROLE_INPUT, FileContext
from oidcify.retrofit.fix_cac import TRUE
from oidcify.retrofit.layout import indent_unit
from oidcify.retrofit.patch import Entries, plain
from oidcify.workflows.nodes import MappingNode, ScalarNode, get, get_pair

DESCRIPTION = "IAM role ARN this workflow assumes with GitHub's OIDC token"
CALL = ("on", "workflow_call")


def plan(ctx: FileContext) -> None:
    if ctx.wf.path not in ctx.facts.external or not ctx.chosen:
        return
    on = get_pair(ctx.wf.node, "on")
    line = on[0].start_mark.line + 1 if on else 1
    if not ctx.options.role_input:
        ctx.warn(
            "OW011",
            line,
            "only other repositories call this workflow: its tokens name the caller's "
            "repository, so its subjects are unknown here (left out of trust output); pass "
            "--role-input to take the role from the input role-to-assume",
        )
        return
    if INPUT_ROLE not in ctx.chosen.values():
        ctx.warn(
            "OW011",
            line,
            "only other repositories call this workflow, and its on: cannot take a new input "
            "safely here: declare the input role-to-assume by hand and use it as the role",
        )
        return
    _declare(ctx)
    ctx.fix("OR009", line, f"on.workflow_call.inputs: {ROLE_INPUT} added; steps assume it")
    ctx.warn(
        "OW011",
        line,
        "only other repositories call this workflow: each caller must now pass "
        f"with: {ROLE_INPUT}: <its role ARN> (and grant id-token: write)",
    )


def _declare(ctx: FileContext) -> None:
    """Declare the input (``declarable`` said where it can go)."""
    on = get(ctx.wf.node, "on")
    assert isinstance(on, MappingNode)
    pair = get_pair(on, "workflow_call")
    assert pair is not None
    key, call = pair
    entry: Entries = [
        (
            ROLE_INPUT,
            [("description", plain(DESCRIPTION)), ("type", plain("string")), ("required", TRUE)],
        )
    ]
    unit = indent_unit(ctx.text, on, default=indent_unit(ctx.text, ctx.wf.node))
    if isinstance(call, ScalarNode):
        ctx.patch.null_to_block(key, [("inputs", entry)], path=CALL, unit=unit)
        return
    assert isinstance(call, MappingNode)
    inputs = get(call, "inputs")
    if isinstance(inputs, MappingNode):
        if get(inputs, ROLE_INPUT) is None:
            ctx.patch.add_pairs(inputs, entry, (*CALL, "inputs"), unit=unit)
        return
    ctx.patch.add_pairs(call, [("inputs", entry)], CALL, unit=unit, after=call.value[0][0])
