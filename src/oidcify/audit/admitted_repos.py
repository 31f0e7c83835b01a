"""Which of the repositories a trust policy names does it admit (OC307)?

The candidates are the repositories an Allow statement names on purpose (a ``sub`` whose
literal text holds ``repo:OWNER/REPO:``, an exact ``repository``, a ``workflow_ref`` naming
one) and the ids a positive ``repository_id`` condition (or an immutable ``sub``,
``repo:OWNER@ID/REPO@ID:``) lists. Each is probed with the tokens its own runs present (the
refs, environments, events and workflow files of the policy's vocabulary, both subject forms),
built as GitHub builds them, and decided against the whole policy by ``oidcify.iam``: the
conditions of a statement ANDed, an explicit Deny winning. So a repository named only in a
Deny or a negated condition, or one a Deny refuses, is not admitted.

A repository admitted whatever its id is counted by name (``octo-org/app``); one admitted
only with an id the policy lists is counted by that id (``octo-org/app (id 5678)``), so two
names the policy pins to one id are one repository.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oidcify import aws, subjects
from oidcify.check import vocabulary
from oidcify.check.probes import statement_issuers
from oidcify.errors import InputError
from oidcify.iam import Admission, github_request, github_token
from oidcify.iam.conditions import condition_holds, normalize_context
from oidcify.iam.wildcards import has_any_variables

if TYPE_CHECKING:
    from oidcify.check.policies import TrustPolicy
    from oidcify.iam import Statement

_BUILT = frozenset({"sub", "aud", "iss", "repository", "repository_owner", "repository_id",
                    "repository_owner_id", "ref", "ref_type", "workflow_ref",
                    "job_workflow_ref", "environment", "event_name"})  # fmt: skip
_IMMUTABLE = re.compile(r"repo:([^/:@]+)@(\d+)/([^/:@]+)@(\d+):")
_FRESH_ID = 800_000_000_000
_FORMS: tuple[subjects.SubjectForm, ...] = ("legacy", "immutable")


@dataclass
class AdmittedRepo:
    """A repository the policy admits, and the Allow statements it gets in through."""

    label: str
    statements: list[Statement] = field(default_factory=list)


@dataclass
class _Names:
    """What the policy's Allow statements name: repositories, and repository ids."""

    pairs: list[tuple[str, str]]
    bound: dict[tuple[str, str], tuple[int, int]]  # (owner, name) lower -> (owner id, repo id)
    ids: dict[int, None]


def _names(policy: TrustPolicy, words: vocabulary.Vocabulary) -> _Names:
    pairs = [p for p in words.pairs if (p[0].lower(), p[1].lower()) in words.named]
    bound: dict[tuple[str, str], tuple[int, int]] = {}
    ids: dict[int, None] = {}
    for _, condition in policy.policy.conditions("Allow"):
        if not condition.operator.lists_admitted:
            continue
        for value in condition.values:
            if condition.claim == "repository_id" and value.isdigit():
                ids.setdefault(int(value))
            elif condition.claim == "sub" and (match := _IMMUTABLE.match(value)):
                owner, oid, name, rid = match.groups()
                bound.setdefault((owner.lower(), name.lower()), (int(oid), int(rid)))
                ids.setdefault(int(rid))
    return _Names(pairs, bound, ids)


class _Gate:
    """Decides whether the runs of one repository get in through one Allow statement."""

    def __init__(self, policy: TrustPolicy, statement: Statement, words: vocabulary.Vocabulary):
        self.words, self.statement = words, statement
        self.gates = [(Admission(policy.policy, statement, arn), arn, host)
                      for arn, host in statement_issuers(policy, statement)]  # fmt: skip
        denies = [c for s in policy.policy.statements if s.effect == "Deny" for c in s.conditions]
        self.denied = {c.claim for c in denies}
        tested = [*(c.claim for c in statement.conditions), *self.denied]
        self.free_claims = [c for c in dict.fromkeys(tested) if c not in _BUILT]
        self.audiences = [v for c in statement.conditions if c.claim == "aud"
                          and not c.operator.negated and c.operator.base != "Null"
                          for v in c.values]  # fmt: skip

    def _free(self, host: str) -> list[dict[str, str]]:
        """Values for the claims outside the run (``actor``, ``runner_environment`` ...) that
        the statement or a Deny tests: one the statement accepts; each one, for a claim a Deny
        tests. None when the statement accepts no value of one of them."""
        options: list[list[str | None]] = []
        for claim in self.free_claims:
            tests = [c for c in self.statement.conditions
                     if c.claim == claim and not has_any_variables(c.values)]  # fmt: skip
            fits: list[str | None] = []
            for value in [None, *self.words.values.get(claim, {}), "x"]:
                context = normalize_context({f"{host}:{claim}": value} if value else {})
                if all(condition_holds(c, context, variables=False) for c in tests):
                    fits.append(value)
            if not fits:
                return []
            options.append(fits if claim in self.denied or "*" in self.denied else fits[:1])
        return [{k: v for k, v in zip(self.free_claims, combo, strict=True) if v}
                for combo in itertools.product(*options)]  # fmt: skip

    def _tokens(self, repo: subjects.Repo, aud: str) -> Iterator[github_token.Claims]:
        words = self.words
        called: list[str | None] = [None, *words.values.get("job_workflow_ref", {})]
        for event in words.events:
            refs = ["refs/pull/1/merge"] if event == "pull_request" else list(words.refs)
            for ref, env, form, workflow, job in itertools.product(
                refs, [None, *words.environments], _FORMS, words.workflows, called
            ):
                run = github_token.TokenRun(repo, ref, env, event, form, aud, workflow, job)
                try:
                    yield github_token.run_claims(run)
                except InputError:
                    continue  # a value no real run could carry

    def admits(self, repo: subjects.Repo) -> bool:
        for gate, arn, host in self.gates:
            free = self._free(host)
            for aud in dict.fromkeys([aws.sts_audience_of(arn), *self.audiences]):
                for token in self._tokens(repo, aud):
                    for extra in free:
                        request = github_request(arn, {**extra, **token}, host=host)
                        if gate.admits(request.context):
                            return True
        return False


_NAMES = re.compile(r"(?:repo:)?([^/:@]+)(?:@\d+)?/([^/:@]+)")


def may_admit_several(policy: TrustPolicy) -> bool:
    """Whether the Allow statements' positive values name two or more repositories or
    repository ids; if not, ``admitted`` finds one at most (a quick test: no probing)."""
    found: set[str] = set()
    for _, condition in policy.policy.conditions("Allow"):
        if not condition.operator.lists_admitted:
            continue
        for value in condition.values:
            if condition.claim == "repository_id":
                found.add(value)
            elif condition.claim in ("sub", "repository", "workflow_ref") and (
                match := _NAMES.match(value)
            ):
                found.add(f"{match.group(1)}/{match.group(2)}".lower())
        if len(found) > 1:
            return True
    return False


def admitted(policy: TrustPolicy) -> list[AdmittedRepo]:
    """The repositories ``policy`` names that it admits, each with the Allow statements that
    admit it, sorted by label (case-insensitively)."""
    words = vocabulary.read(policy.policy)
    named = _names(policy, words)
    fresh = itertools.count(_FRESH_ID)
    found: dict[tuple[str, str], AdmittedRepo] = {}
    for statement in policy.policy.statements:
        if statement.effect != "Allow":
            continue
        gate = _Gate(policy, statement, words)
        for key, label in _probe(gate, named, words, fresh):
            repo = found.setdefault(key, AdmittedRepo(label))
            if repo.label.startswith("repository id") and "/" in label:
                repo.label = label  # a name the policy pins to that id says more
            if statement not in repo.statements:
                repo.statements.append(statement)
    return sorted(found.values(), key=lambda r: r.label.lower())


def _owner_ids(owner: str, words: vocabulary.Vocabulary, fresh: Iterator[int]) -> list[int]:
    known = words.owner_ids.get(owner.lower())
    return [known] if known else [next(fresh), *words.loose_ids]


def _probe(gate: _Gate, named: _Names, words: vocabulary.Vocabulary, fresh: Iterator[int]
           ) -> Iterator[tuple[tuple[str, str], str]]:  # fmt: skip
    """(key, label) of each candidate repository that gets in through ``gate``."""
    seen_ids = {rid for _, rid in named.bound.values()}  # an immutable sub's id: its name's
    for owner, name in named.pairs:
        oid, rid = named.bound.get((owner.lower(), name.lower()), (None, None))
        owner_ids = [oid] if oid else _owner_ids(owner, words, fresh)
        ids = [next(fresh), *([rid] if rid else []), *named.ids]
        for repo_id in dict.fromkeys(ids):
            hit = any(gate.admits(subjects.Repo(owner, name, o, repo_id)) for o in owner_ids)
            if hit and repo_id >= _FRESH_ID:
                yield ("name", f"{owner}/{name}".lower()), f"{owner}/{name}"
                break
            if hit:
                seen_ids.add(repo_id)
                yield ("id", str(repo_id)), f"{owner}/{name} (id {repo_id})"
    owners = [*words.owners, vocabulary.PROBE_OWNER]
    names = [*named.pairs, *((o, vocabulary.PROBE_REPO) for o in owners)]
    for repo_id in named.ids:
        if repo_id in seen_ids:
            continue
        for owner, name in names:
            if any(gate.admits(subjects.Repo(owner, name, o, repo_id))
                   for o in _owner_ids(owner, words, fresh)):  # fmt: skip
                yield ("id", str(repo_id)), f"repository id {repo_id}"
                break
