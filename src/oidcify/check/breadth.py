"""What one value of a repository-naming condition lets in, read on its own: the wording OC203
uses for a value through which a foreign run gets in, and its warning for a ``sub`` that admits
every run of one repository (``repo:octo-org/app:*``).

``sub`` is read as ``repo:OWNER/REPO:CONTEXT``: only the literal text before the first wildcard
or policy variable is fixed, the rest is whatever a token brings, and anyone can create a
repository (or an organisation) named to fit it. Whether a policy admits a foreign run is not
decided here but by evaluating whole statements (``check.probes``).
"""

from __future__ import annotations

import re

from oidcify.check import patterns

# The literal start of a sub value that names one repository, in either subject form.
PINNED = re.compile(r"repo:[^/:]+/[^/:]+:")
_OWNER = re.compile(r"repo:(?P<owner>[^/:]+)/")
_PARTS = re.compile(r"repo:(?P<owner>[^/:]*)(?:/(?P<repo>[^:]*))?")
# Claims that say which repository a token comes from.
IDENTITY_CLAIMS = ("sub", "repository", "repository_owner", "workflow_ref", "repository_id",
                   "repository_owner_id")  # fmt: skip


def breadth(value: str, *, like: bool = True, ignore_case: bool = False) -> tuple[str, str] | None:
    """(severity, what it admits) for a ``sub`` value, or None when it names one repository.

    A value pins one repository only when its literal text already holds the whole
    ``repo:OWNER/REPO:``; ``repo:octo-org/app*`` also admits ``octo-org/app-evil``."""
    pattern = patterns.tokens(value, like=like, ignore_case=ignore_case)
    if patterns.is_exact(pattern):
        return None
    head = patterns.fixed_prefix(pattern)
    if pinned := PINNED.match(head):
        if pattern[pinned.end() :] == (patterns.STAR,):
            named = value[5 : value.index(":", value.index("/"))]
            return "warning", (
                f"every branch, tag, environment and pull request of {named} "
                "(any workflow anyone with write access adds)"
            )
        return None
    parts = _PARTS.match(value)
    if (owner := _OWNER.match(head)) and parts:
        return (
            "error",
            f"every repository of {owner.group('owner')} matching {parts.group('repo')!r}",
        )
    if parts and parts.group("owner") and head != "repo:":
        return "error", f"repositories of any owner matching {parts.group('owner')!r}"
    return "error", "any repository on GitHub"


def claim_breadth(claim: str, value: str, *, like: bool, ignore_case: bool) -> str | None:
    """What a ``repository``, ``repository_owner``, ``workflow_ref`` or id value admits beyond
    one repository, or None. These claims name the token's own repository (``workflow_ref``
    as ``OWNER/REPO/.github/workflows/FILE@REF``), so a wildcard or policy variable before
    the repository's name ends lets other repositories in."""
    pattern = patterns.tokens(value, like=like, ignore_case=ignore_case)
    if patterns.is_exact(pattern):
        return None
    head = patterns.fixed_prefix(pattern)
    if claim == "workflow_ref" and re.match(r"[^/]+/[^/]+/", head):
        return None
    owner, slash, _ = head.partition("/")
    if slash and claim in ("repository", "workflow_ref"):
        return f"every repository of {owner} matching {value!r}"
    return f"any repository on GitHub ({claim} matches {value!r})"
