"""``--repo OWNER/REPO``: does a role admit a repository other than the given ones?

Without ``--repo`` (and workflows) the audit asks whether a role admits more than one
repository. Given repositories, it asks whether a role admits any other. A role is a given
repository's when an Allow statement compares ``sub`` with a value that names it (either
subject form, any context). Such a role is judged as ``oidcify check --trust-policy ROLE --repo
OWNER/REPO`` judges it, through the rules' ``check(ctx)``: the trust rules with that
repository's identity (so OC203 probes other repositories of its owner), and OC202 for each
``sub`` value no run of the given repositories can present. Without workflows nothing says
which of a given repository's values its runs present, so each of them counts as presented:
what OC202 reports is a value that names another repository. A role is judged once, with the
first given repository it names.

A role that names none of the given repositories is judged as without ``--repo`` (OC203-OC206):
one that admits any repository admits the given ones too and is reported, one that trusts only
other repositories, precisely, is no concern of theirs and is not. Roles that ``--workflows``
checkouts reference are judged against those workflows (``joined``) instead.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from oidcify.audit import judge
from oidcify.audit.judge import JudgedRole
from oidcify.check.context import Context
from oidcify.check.findings import Finding, RuleInfo
from oidcify.check.identity import Identity, resolve
from oidcify.check.options import Options
from oidcify.check.policies import TrustPolicy, sub_values
from oidcify.rules import Rule, all_rules

UNUSED_SUBJECT = "OC202"


def identities(repos: Sequence[str]) -> list[Identity]:
    """The given repositories, each once, parsed as ``check --repo`` parses its value; an
    InputError names ``--repo`` and what is allowed."""
    found: dict[str, Identity] = {}
    for value in repos:
        given = resolve(repo=value, root=None, policies=[], notes=[])
        found.setdefault(given.full_name.lower(), given)
    return list(found.values())


def _names(given: Identity, policy: TrustPolicy) -> bool:
    return any(given.names_this_repo(item.value) for item in sub_values(policy))


def unused_subject_rule() -> Rule:
    return next(r for r in all_rules() if r.INFO.id == UNUSED_SUBJECT)


def rule_infos() -> dict[str, RuleInfo]:
    return {**judge.rule_infos(), UNUSED_SUBJECT: unused_subject_rule().INFO}


def _judge_for(
    given: Identity, policies: list[TrustPolicy], everyone: list[Identity], notes: list[str]
) -> list[Finding]:
    from oidcify.check.coverage import Coverage

    ctx = Context(Options(repo=given.full_name), [], [])
    ctx.policies = policies
    # Ids and subject form as check finds them in these policies.
    ctx.identity = resolve(repo=given.full_name, root=None, policies=policies, notes=notes)
    ctx.coverage = Coverage(notes=notes)
    for policy in policies:
        for item in sub_values(policy):
            if any(g.names_this_repo(item.value) for g in everyone):
                ctx.coverage.presented.add((id(policy), item.pattern))
    rules = [*judge.trust_rules(), unused_subject_rule()]
    return [finding for rule in rules for finding in rule.check(ctx)]


def judge_scoped(
    judged: list[JudgedRole],
    given: list[Identity],
    notes: list[str],
    skip: Collection[str] = (),
) -> list[Finding]:
    """The findings of the roles ``judged`` when the question is ``given``'s; roles whose ARN
    (lower case) is in ``skip`` are judged as without ``--repo``."""
    groups: list[list[TrustPolicy]] = [[] for _ in given]
    rest: list[TrustPolicy] = []
    named = [False for _ in given]
    for role in judged:
        hits = [i for i, g in enumerate(given) if _names(g, role.policy)]
        for i in hits:
            named[i] = True
        if hits and role.role.arn.lower() not in skip:
            groups[hits[0]].append(role.policy)
        else:
            rest.append(role.policy)
    for g, seen in zip(given, named, strict=True):
        if not seen:
            notes.append(f"no audited role names {g.full_name} in a sub condition")
    findings = judge.judge(rest) if rest else []
    for g, policies in zip(given, groups, strict=True):
        if policies:
            findings += _judge_for(g, policies, given, notes)
    return findings
