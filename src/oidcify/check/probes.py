"""Does a trust policy admit a run of a foreign repository (OC203)? Decided by IAM's own rules.

Each Allow statement that trusts GitHub's provider is probed with the tokens foreign runs would
present (``check.vocabulary`` says which repositories, refs, environments, events and workflow
files): built as GitHub builds them (``oidcify.iam.github_token``), with the audience STS takes
in the provider's partition, and decided against the whole policy by ``oidcify.iam``: the
keys and operators of a statement ANDed, statements ORed, an explicit Deny winning. Nothing is
capped: to stay fast, each of a token's parts is first tested against the statement's
conditions on that part alone, and a ref is varied for an environment's run only when some
condition looks at it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oidcify import aws, subjects
from oidcify.check import vocabulary
from oidcify.check.breadth import breadth
from oidcify.check.policies import SUB_OPERATORS
from oidcify.errors import InputError
from oidcify.iam import Admission, github_request, github_token, issuer_host
from oidcify.iam.conditions import condition_holds, normalize_context
from oidcify.iam.sts_keys import sts_context
from oidcify.iam.wildcards import has_any_variables, has_variables

if TYPE_CHECKING:
    from oidcify.check.policies import TrustPolicy
    from oidcify.iam import Policy, Statement

PROVIDER_HOST = aws.GITHUB_OIDC_HOST
_REPO_CLAIMS = frozenset({"repository", "repository_owner", "repository_id",
                          "repository_owner_id"})  # fmt: skip
_REF_CLAIMS = frozenset({"ref", "ref_type", "workflow_ref", "job_workflow_ref"})
_WORKFLOW_CLAIMS = frozenset({"workflow_ref", "job_workflow_ref"})
_BUILT = _REPO_CLAIMS | _REF_CLAIMS | {"sub", "aud", "iss", "environment", "event_name"}
_FRESH_ID = 900_000_000_000


@dataclass(frozen=True)
class ForeignRun:
    """A run of another repository that a statement admits, and the token it presents."""

    repo: subjects.Repo
    what: str  # "any repository on GitHub" or "every repository of OWNER"
    event: str
    ref: str
    environment: str | None
    token: github_token.Claims

    @property
    def described(self) -> str:
        """``a push run of x/y on refs/heads/main`` (or ``in environment prod``)."""
        where = f"in environment {self.environment!r}" if self.environment is not None \
            else f"on {self.ref}"  # fmt: skip
        return f"a {self.event} run of {self.repo.full_name} {where}"


class _Part:
    """Tests one part of a token against the conditions of a statement on that part alone."""

    def __init__(self, policy: Policy, statement: Statement, issuer: str) -> None:
        self.policy, self.statement, self.issuer = policy, statement, issuer

    def holds(self, claims: frozenset[str], token: github_token.Claims) -> bool:
        context = normalize_context(sts_context(self.issuer, token))
        return all(
            condition_holds(c, context, variables=self.policy.variables)
            for c in self.statement.conditions
            if c.claim in claims and not has_any_variables(c.values)
        )

    def classes(self, refs: list[str]) -> list[str]:
        """One ref of each class of ``refs`` that the conditions on refs of the statement and
        of every Deny treat alike."""
        tests = [c for s in self.policy.statements if s is self.statement or s.effect == "Deny"
                 for c in s.conditions if c.claim in ("ref", "ref_type")]  # fmt: skip
        found: dict[tuple[bool, ...], str] = {}
        for ref in refs:
            context = normalize_context(sts_context(self.issuer, _ref_claims(ref)))
            verdicts = tuple(condition_holds(c, context, variables=False) for c in tests)
            found.setdefault(verdicts, ref)
        return list(found.values())


def _pinned_by_sub(statement: Statement) -> bool:
    """Whether a plain positive ``sub`` test lists only subjects of named repositories: then
    no foreign run's token can pass, and probing is wasted work."""
    for condition in statement.conditions:
        op = condition.operator
        if condition.claim == "sub" and op.base in SUB_OPERATORS and not op.qualifier \
                and not op.if_exists:  # fmt: skip
            values = condition.values
            if all(breadth(v, like=op.like, ignore_case=op.ignore_case) is None
                   for v in values):  # fmt: skip
                return True
    return False


def _repos(words: vocabulary.Vocabulary, own: subjects.Repo | None) -> Iterator[subjects.Repo]:
    """Foreign repositories, the broadest first: a made-up one, then those the policy's
    patterns make up, then other repositories of the owners it names."""
    taken = set(words.named)
    if own:
        taken.add((own.owner.lower(), own.name.lower()))
    owners = {**({own.owner: None} if own else {}), **words.owners}
    ids = dict(words.owner_ids)
    if own and own.owner_id:
        ids[own.owner.lower()] = own.owner_id  # known: whatever id the policy writes for it
    pairs = [(vocabulary.PROBE_OWNER, vocabulary.PROBE_REPO), *words.pairs,
             *((vocabulary.PROBE_OWNER, n) for _, n in words.pairs),
             *((o, vocabulary.PROBE_REPO) for o in owners),
             *itertools.product(owners, words.free_names)]  # fmt: skip
    # An id is one account's: the checked owner's id goes with its name only.
    mine, my_name = (own.owner_id, own.owner.lower()) if own else (None, "")
    loose = [i for i in words.loose_ids if i != mine]
    fresh = itertools.count(_FRESH_ID)
    for owner, name in dict.fromkeys(pairs):
        known = ids.get(owner.lower())
        someone_else = mine is not None and known == mine and owner.lower() != my_name
        if (owner.lower(), name.lower()) in taken or someone_else:
            continue
        for owner_id in [known] if known else [next(fresh), *loose]:
            yield subjects.Repo(owner, name, owner_id, next(fresh))


def _contexts(words: vocabulary.Vocabulary, part: _Part, tested: set[str]
              ) -> list[tuple[str, str, str | None]]:  # fmt: skip
    """(event, ref, environment) of the runs to probe with, each part already meeting the
    statement's own conditions on it. An environment's ``sub`` does not say the ref, so for
    its runs one ref stands for all the refs every condition on refs treats alike."""
    refs = [r for r in words.refs if part.holds(_REF_CLAIMS - _WORKFLOW_CLAIMS, _ref_claims(r))]
    envs = [e for e in [None, *words.environments]
            if part.holds(frozenset({"environment"}), {"environment": e} if e else {})]  # fmt: skip
    events = [e for e in words.events if part.holds(frozenset({"event_name"}), {"event_name": e})]
    if "event_name" not in tested:  # then other events' runs present what a push's do
        events = [e for e in events if e in ("push", "pull_request")]
    alike = refs if tested & _WORKFLOW_CLAIMS or "*" in tested else part.classes(refs)
    # An environment's run presents the same sub whatever the event: one event is enough,
    # unless a condition looks at the event or the ref (a pull request's is refs/pull/...).
    one_event = not tested & {"event_name", "*", *_REF_CLAIMS}
    found: list[tuple[str, str, str | None]] = []
    for event in events:
        pull = event == "pull_request"
        for env in envs:
            if env is not None and event != events[0] and one_event:
                continue
            own_refs = ["refs/pull/1/merge"] if pull else refs if env is None else alike
            found += [(event, ref, env) for ref in own_refs]
    return found


def _ref_claims(ref: str) -> github_token.Claims:
    kind = "branch" if ref.startswith("refs/heads/") else "tag" if ref.startswith("refs/tags/") \
        else None  # fmt: skip
    return {"ref": ref, **({"ref_type": kind} if kind else {})}


def _free(policy: Policy, statement: Statement, words: vocabulary.Vocabulary, part: _Part,
          denied: set[str]) -> list[dict[str, str]]:  # fmt: skip
    """Values for the claims outside the run that the statement or a Deny tests (``actor``,
    ``runner_environment`` ...), which a foreign run's owner controls: each a value the
    statement accepts; every such value when a Deny tests the claim."""
    options: list[list[tuple[str, str | None]]] = []
    tested = [c.claim for c in statement.conditions] + sorted(denied)
    for claim in dict.fromkeys(c for c in tested if c not in _BUILT and c != "*"):
        choices = [None, *words.values.get(claim, {}), "x"]
        fits = [(claim, v) for v in choices
                if part.holds(frozenset({claim}), {claim: v} if v is not None else {})]  # fmt: skip
        if not fits:
            return []
        options.append(fits if claim in denied or "*" in denied else fits[:1])
    return [{k: v for k, v in combo if v is not None} for combo in itertools.product(*options)]


def _tested(policy: Policy, statement: Statement) -> tuple[set[str], set[str]]:
    """The claims the statement tests, and those any Deny tests (all, with a variable)."""
    denies = [s for s in policy.statements if s.effect == "Deny"]
    everything = any(has_variables(v) for s in (statement, *denies) for c in s.conditions
                     for v in c.values)  # fmt: skip
    if everything:
        return set(_BUILT) | {"*"}, set(_BUILT) | {"*"}
    denied = {c.claim for s in denies for c in s.conditions}
    return {c.claim for c in statement.conditions} | denied, denied


def _workflows(words: vocabulary.Vocabulary, tested: set[str], own: subjects.Repo | None,
               reusable: tuple[str, ...]) -> list[tuple[str, str | None]]:  # fmt: skip
    """(workflow file, called reusable workflow) pairs: the policy's, when it tests them. A
    foreign run may call another repository's reusable workflow, and the checked repository's
    ``reusable`` ones, but no other workflow of the checked repository (or of one the policy
    names): a ``job_workflow_ref`` naming such a workflow pins the repository."""
    if not tested & _WORKFLOW_CLAIMS:
        return [(vocabulary.DEFAULT_WORKFLOW, None)]
    taken = {*words.named, *([(own.owner.lower(), own.name.lower())] if own else [])}
    called = [c for c in words.values.get("job_workflow_ref", {})
              if tuple(c.lower().split("/")[:2]) not in taken]  # fmt: skip
    if own:
        called += [f"{own.full_name}/.github/workflows/{file}@{ref}"
                   for file in reusable for ref in words.refs]  # fmt: skip
    return [*((f, None) for f in words.workflows),
            *((vocabulary.DEFAULT_WORKFLOW, c) for c in called)]  # fmt: skip


def statement_issuers(policy: TrustPolicy, statement: Statement) -> list[tuple[str, str]]:
    """(provider ARN, issuer host) of each GitHub provider the statement trusts."""
    providers = [i for ids in statement.principals.values() for i in ids]
    found = [(i, h) for i in providers if (h := issuer_host(i))]
    if not found and "*" in providers:
        arn = policy.provider_arn()
        found = [(arn, issuer_host(arn) or PROVIDER_HOST)]
    return found


def foreign_run(
    policy: TrustPolicy,
    statement: Statement,
    own: subjects.Repo | None,
    words: vocabulary.Vocabulary | None = None,
    reusable: tuple[str, ...] = (),
) -> ForeignRun | None:
    """A run of a foreign repository that ``statement`` (an Allow) lets assume the role, with
    no Deny of the policy refusing it; None when there is none. ``own`` is the checked
    repository, ``reusable`` the file names of its reusable workflows (which other
    repositories may call); ``words`` the policy's vocabulary, when already read."""
    issuers = statement_issuers(policy, statement)
    if statement.effect != "Allow" or not issuers or _pinned_by_sub(statement):
        return None
    iam_policy = policy.policy
    words = words or vocabulary.read(iam_policy)
    tested, denied = _tested(iam_policy, statement)
    workflows = _workflows(words, tested, own, reusable)
    for provider, issuer in issuers:
        aud = aws.sts_audience_of(provider)
        gate = Admission(iam_policy, statement, provider)
        part = _Part(iam_policy, statement, issuer)
        contexts = _contexts(words, part, tested)
        free = _free(iam_policy, statement, words, part, denied)
        for repo in _repos(words, own):
            if not contexts or not free or not part.holds(_REPO_CLAIMS, _repo_claims(repo)):
                continue
            forms: tuple[subjects.SubjectForm, ...] = ("legacy", "immutable")
            for (event, ref, env), form, extra, (workflow, called) in itertools.product(
                contexts, forms, free, workflows
            ):
                run = github_token.TokenRun(repo, ref, env, event, form, aud,
                                            workflow, called)  # fmt: skip
                try:
                    token = {**extra, **github_token.run_claims(run)}
                except InputError:
                    continue  # a value no real run could carry
                if gate.admits(github_request(provider, token, host=issuer).context):
                    return ForeignRun(repo, _what(repo, own, words), event, ref, env, token)
    return None


def _what(repo: subjects.Repo, own: subjects.Repo | None, words: vocabulary.Vocabulary) -> str:
    owner = repo.owner.lower()
    if (own is not None and own.owner.lower() == owner) or owner in words.literal_owners:
        return f"every repository of {repo.owner}"
    return "any repository on GitHub"


def _repo_claims(repo: subjects.Repo) -> github_token.Claims:
    return {
        "repository": repo.full_name,
        "repository_owner": repo.owner,
        "repository_id": str(repo.repo_id),
        "repository_owner_id": str(repo.owner_id),
    }
