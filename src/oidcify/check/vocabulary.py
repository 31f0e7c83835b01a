"""The names a trust policy writes, as the foreign runs that OC203 probes it with would carry them.

A foreign run is a run of any repository other than the checked one and the ones the policy
names on purpose (a ``sub`` whose literal text holds ``repo:OWNER/REPO:``, an exact
``repository``, a ``workflow_ref`` whose literal text holds ``OWNER/REPO/``). Its owner can
pick the repository's name, the branches, tags and environments it creates, the events that
run it and the workflow files it adds, so each of them is taken from the policy's own values
(a wildcard filled with ``x``, or with nothing), besides a made-up repository and the usual
refs and events. Ids cannot be picked: a foreign repository gets a new repository id, and the
id of its owner's account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oidcify import names
from oidcify.check import patterns
from oidcify.check.breadth import PINNED

if TYPE_CHECKING:
    from oidcify.iam import Policy
    from oidcify.iam.conditions import Condition

PROBE_OWNER = "oidcify-probe-owner"
PROBE_REPO = "oidcify-probe-repo"
# Usual refs, environments and events, and one of each no policy names (for conditions that
# refuse the values they name).
DEFAULT_REFS = ("refs/heads/main", "refs/tags/v1.0.0", "refs/heads/oidcify-probe")
DEFAULT_ENVIRONMENTS = ("production", "oidcify-probe")
DEFAULT_EVENTS = ("push", "pull_request", "workflow_dispatch", "repository_dispatch")
DEFAULT_WORKFLOW = "deploy.yml"
_SUB = re.compile(r"repo:(?P<owner>[^/:@]*)(?:@(?P<oid>\d+))?(?:/(?P<name>[^/:@]*)(?:@\d+)?)?"
                  r"(?::(?P<context>.*))?", re.DOTALL)  # fmt: skip
_WORKFLOW_REF = re.compile(r"(?P<owner>[^/]+)/(?P<name>[^/]+)/\.github/workflows/(?P<file>[^@]+)"
                           r"(?:@(?P<ref>.*))?", re.DOTALL)  # fmt: skip
_FILLS = ("x", "")
# Characters git refuses in a ref name: a value with one names no ref a run can be on.
_NOT_IN_REFS = re.compile(r"[*?\[\\~^\s]|\.\.")


@dataclass
class Vocabulary:
    """Every value of each kind the policy's conditions write (positive or negated), in order."""

    pairs: dict[tuple[str, str], None] = field(default_factory=dict)  # (owner, name) instances
    owners: dict[str, None] = field(default_factory=dict)
    owner_ids: dict[str, int] = field(default_factory=dict)  # owner (lower case) -> known id
    loose_ids: dict[int, None] = field(default_factory=dict)  # owner ids of no known owner
    named: set[tuple[str, str]] = field(default_factory=set)  # lower case: not foreign
    literal_owners: set[str] = field(default_factory=set)  # lower case, written out in full
    free_names: dict[str, None] = field(default_factory=dict)  # names any owner may pair with
    refs: dict[str, None] = field(default_factory=lambda: dict.fromkeys(DEFAULT_REFS))
    environments: dict[str, None] = field(
        default_factory=lambda: dict.fromkeys(DEFAULT_ENVIRONMENTS)
    )
    events: dict[str, None] = field(default_factory=lambda: dict.fromkeys(DEFAULT_EVENTS))
    workflows: dict[str, None] = field(default_factory=lambda: {DEFAULT_WORKFLOW: None})
    values: dict[str, dict[str, None]] = field(default_factory=dict)  # any other claim

    def add_owner(self, owner: str, owner_id: str | None = None) -> None:
        if names.GITHUB_OWNER.ok(owner):
            self.owners.setdefault(owner)
            if owner_id:
                self.owner_ids.setdefault(owner.lower(), int(owner_id))

    def add_pair(self, owner: str, name: str, owner_id: str | None = None) -> None:
        self.add_owner(owner, owner_id)
        if names.GITHUB_OWNER.ok(owner) and names.GITHUB_REPO.ok(name):
            self.pairs.setdefault((owner, name))

    def add_ref(self, ref: str) -> None:
        if not _NOT_IN_REFS.search(ref):
            self.refs.setdefault(ref)

    def add_context(self, context: str) -> None:
        kind, _, rest = context.partition(":")
        if kind == "ref" and rest:
            self.add_ref(rest.replace("%3A", ":"))
        elif kind == "environment" and rest.strip():
            self.environments.setdefault(rest.replace("%3A", ":"))
        elif kind == "pull_request":
            self.events.setdefault("pull_request")


def instances(condition: Condition, value: str) -> list[str]:
    """Concrete values ``value`` stands for: each wildcard and policy variable filled with
    ``x`` and with nothing (the literal text itself under StringEquals)."""
    pattern = patterns.tokens(value, like=condition.operator.like)
    return list(dict.fromkeys(patterns.instance(pattern, fill) for fill in _FILLS))


def _read(found: Vocabulary, claim: str, text: str) -> None:
    if claim == "sub" and (match := _SUB.fullmatch(text)):
        if match.group("name") is not None:
            found.add_pair(match.group("owner"), match.group("name"), match.group("oid"))
        else:
            found.add_owner(match.group("owner"), match.group("oid"))
        found.add_context(match.group("context") or "")
    elif claim in ("repository", "workflow_ref", "job_workflow_ref"):
        if claim == "job_workflow_ref":  # a reusable workflow a foreign run may call
            found.values.setdefault(claim, {}).setdefault(text)
        wf = _WORKFLOW_REF.fullmatch(text) if claim != "repository" else None
        owner, _, name = (f"{wf.group('owner')}/{wf.group('name')}" if wf else text).partition("/")
        found.add_pair(owner, name)
        if wf:
            found.workflows.setdefault(wf.group("file"))
            if wf.group("ref"):
                found.add_ref(wf.group("ref"))
    elif claim == "repository_owner":
        found.add_owner(text)
    elif claim == "repository_owner_id" and text.isdigit():
        found.loose_ids.setdefault(int(text))
    elif claim == "ref":
        found.add_ref(text)
    elif claim == "environment" and text.strip():
        found.environments.setdefault(text)
    elif claim == "event_name" and re.fullmatch(r"[a-z_]+", text):
        found.events.setdefault(text)
    elif claim not in ("aud", "iss", "repository_id", "ref_type"):
        found.values.setdefault(claim, {}).setdefault(text)


def _owner_and_name(claim: str, text: str) -> tuple[str, str] | None:
    """The repository a ``sub``, ``repository`` or ``workflow_ref`` value names, unchecked."""
    if claim == "sub" and (match := _SUB.fullmatch(text)):
        return match.group("owner"), match.group("name") or ""
    if claim in ("repository", "workflow_ref"):
        wf = _WORKFLOW_REF.fullmatch(text) if claim == "workflow_ref" else None
        owner, _, name = (f"{wf.group('owner')}/{wf.group('name')}" if wf else text).partition("/")
        return owner, name
    return None


def _free_names(claim: str, texts: list[str]) -> list[str]:
    """The repository names a value allows while its owner is a wildcard (``repo:*/app*``):
    any owner the policy names may have a repository of such a name."""
    pairs = [pair for text in texts if (pair := _owner_and_name(claim, text))]
    if len({owner for owner, _ in pairs}) < 2:
        return []
    return [name for _, name in pairs if name]


def _named(condition: Condition, value: str) -> tuple[str, str] | None:
    """The repository a positive value of an Allow names on purpose, if it names one."""
    op = condition.operator
    if not op.lists_admitted:
        return None
    head = patterns.fixed_prefix(patterns.tokens(value, like=op.like))
    if condition.claim == "sub" and PINNED.match(head):
        match = _SUB.match(head)
        return (match.group("owner"), match.group("name")) if match and match.group("name") \
            else None  # fmt: skip
    if condition.claim == "repository" and patterns.is_exact(patterns.tokens(value, like=op.like)):
        owner, _, name = value.partition("/")
        return owner, name
    if condition.claim == "workflow_ref" and (wf := re.match(r"([^/]+)/([^/]+)/", head)):
        return wf.group(1), wf.group(2)
    return None


def _literal_owner(condition: Condition, value: str) -> str | None:
    """The owner a value writes out in full before any wildcard, if any."""
    pattern = patterns.tokens(value, like=condition.operator.like)
    head = patterns.fixed_prefix(pattern)
    if condition.claim == "sub" and (match := re.match(r"repo:([^/:@]+)[/@:]", head)):
        return match.group(1)
    if condition.claim in ("repository", "workflow_ref", "job_workflow_ref") and (
        match := re.match(r"([^/]+)/", head)
    ):
        return match.group(1)
    if condition.claim == "repository_owner" and patterns.is_exact(pattern):
        return value
    return None


def read(policy: Policy) -> Vocabulary:
    """The vocabulary of ``policy``'s conditions."""
    found = Vocabulary()
    for statement, condition in policy.conditions():
        if condition.operator.base == "Null":
            continue
        for value in condition.values:
            texts = instances(condition, value)
            for text in texts:
                _read(found, condition.claim, text)
            for name in _free_names(condition.claim, texts):
                found.free_names.setdefault(name)
            if owner := _literal_owner(condition, value):
                found.literal_owners.add(owner.lower())
            if statement.effect == "Allow" and (pair := _named(condition, value)):
                found.named.add((pair[0].lower(), pair[1].lower()))
    known = set(found.owner_ids.values())
    found.loose_ids = {i: None for i in found.loose_ids if i not in known}
    return found
