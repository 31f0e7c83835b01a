"""``oidcify simulate``: would this role's trust policy accept this GitHub token, and why?"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oidcify.errors import ExitCode, InputError

if TYPE_CHECKING:  # the engine loads only when the command runs: `oidcify --help` stays fast
    from oidcify.iam import Decision, Policy, github_token

HELP = "decide whether a role's trust policy accepts a GitHub OIDC token, and say why"
EPILOG = """\
examples:
  oidcify simulate --trust-policy role.json --repo octo-org/app --ref refs/heads/main
  oidcify simulate --trust-policy role.json --repo octo-org/app --environment prod
  oidcify simulate --trust-policy role.json --claims sub=repo:o/r:ref:refs/heads/main \\
      aud=sts.amazonaws.com

exit codes:
  0    ALLOW
  1    DENY
  2    bad input: a malformed policy or token, a missing file"""

_RUN_OPTIONS = ("ref", "environment", "owner_id", "repo_id", "subject_format", "workflow",
                "job_workflow_ref")  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from oidcify import names

    parser.add_argument("--trust-policy", required=True, metavar="FILE",
                        help="policy JSON, `aws iam get-role` output or Terraform "
                        "aws_iam_policy_document JSON ('-' reads stdin)")  # fmt: skip
    token = parser.add_argument_group("the token (exactly one of)")
    source = token.add_mutually_exclusive_group(required=True)
    source.add_argument("--claims", nargs="+", metavar="KEY=VALUE",
                        help="token claims, e.g. sub=repo:o/r:ref:refs/heads/main "
                        "aud=sts.amazonaws.com (a key given twice is multi-valued)")  # fmt: skip
    source.add_argument(
        "--token-json",
        metavar="FILE",
        help="a decoded token payload, as actions-oidc-debugger prints it",
    )
    source.add_argument(
        "--repo",
        metavar="OWNER/REPO",
        help="build the claims GitHub would issue for a run of this repository",
    )
    run = parser.add_argument_group("the run (with --repo)")
    run.add_argument("--ref", help="refs/heads/BRANCH, refs/tags/TAG or refs/pull/N/merge")
    run.add_argument("--environment", help="the job's environment (wins over ref and event)")
    run.add_argument("--event", default=None,
                     help="the triggering event, e.g. pull_request (default: push)")  # fmt: skip
    run.add_argument("--owner-id", help="numeric owner id: gives the immutable subject form")
    run.add_argument("--repo-id", help="numeric repository id (with --owner-id)")
    run.add_argument("--subject-format", choices=names.SUBJECT_FORMAT_CHOICES,
                     help=names.SUBJECT_FORMAT_HELP)  # fmt: skip
    run.add_argument("--workflow", help="workflow file name, for workflow_ref claims")
    run.add_argument("--job-workflow-ref", help="the called reusable workflow's ref")
    run.add_argument("--audience", help="aud claim (default: STS of the provider's partition)")
    parser.add_argument("--provider-arn", metavar="ARN",
                        help="the OIDC provider the token comes through (default: the policy's "
                        "GitHub Federated principal)")  # fmt: skip
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="the decision as text (default), or as JSON")  # fmt: skip


def _read(path: str, field: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(f"cannot read {path}: {reason}", field=field) from None


def _provider_arn(args: argparse.Namespace, policy: Policy) -> str | None:
    """The provider the token comes through: ``--provider-arn``, else the one GitHub provider
    (public or an enterprise's) the policy trusts; None when it trusts none at all."""
    from oidcify.iam import issuer_host

    if args.provider_arn:
        if not re.fullmatch(r"arn:aws[\w-]*:iam::\d{12}:oidc-provider/[^\s/]+(/\S+)?",
                            args.provider_arn):  # fmt: skip
            raise InputError(
                f"{args.provider_arn!r} is not an OIDC provider ARN; expected "
                "arn:PARTITION:iam::ACCOUNT_ID:oidc-provider/token.actions.githubusercontent.com",
                field="--provider-arn",
            )
        return str(args.provider_arn)
    federated = policy.principal_identifiers("Federated", effect=None)
    github = [arn for arn in federated if issuer_host(arn)]
    anyone = any("*" in s.principals or "*" in s.principals.get("Federated", ())
                 for s in policy.statements)  # fmt: skip
    if not github and not anyone:
        return None
    if len(github) != 1:
        found = "none" if not github else ", ".join(github)
        raise InputError(
            f"cannot tell which OIDC provider the token comes through (GitHub providers in "
            f"the policy: {found}); pass --provider-arn",
            field="--provider-arn",
        )
    return github[0]


def _no_provider(policy: Policy) -> str:
    from oidcify import aws

    federated = policy.principal_identifiers("Federated", effect=None)
    named = f"; it trusts {', '.join(federated)}" if federated else ""
    return (
        f"DENY: no statement trusts a GitHub OIDC provider (oidc-provider/{aws.GITHUB_OIDC_HOST})"
        f"{named}"
    )


def _audience(args: argparse.Namespace, provider_arn: str) -> str:
    from oidcify import aws

    if args.audience is not None:
        if not args.audience.strip():
            raise InputError(
                "cannot be empty; omit --audience for the STS audience of the provider's partition",
                field="--audience",
            )
        return str(args.audience)
    return aws.sts_audience_of(provider_arn)


def _runs(args: argparse.Namespace, provider_arn: str) -> list[github_token.TokenRun]:
    """The run, once per subject form asked for (``both``: legacy, then immutable)."""
    from oidcify import names, subjects
    from oidcify.iam import github_token

    owner, name = names.parse_repository(args.repo)
    if (args.owner_id is None) != (args.repo_id is None):
        raise InputError("give both --owner-id and --repo-id, or neither", field="--owner-id")
    owner_id = args.owner_id and int(names.POSITIVE_INT.require(args.owner_id, "--owner-id"))
    repo_id = args.repo_id and int(names.POSITIVE_INT.require(args.repo_id, "--repo-id"))
    forms = subjects.forms(args.subject_format or ("immutable" if owner_id else "legacy"))
    if "immutable" in forms and not owner_id:
        raise InputError(
            f"{args.subject_format} needs --owner-id and --repo-id (the immutable sub carries "
            "both ids)",
            field="--subject-format",
        )
    event = "push" if args.event is None else names.require_event(args.event, "--event")
    if args.environment is not None and not args.environment.strip():
        raise InputError("an environment name cannot be empty", field="--environment")
    if args.ref is None and not args.environment and event != "pull_request":
        raise InputError(
            f"a {event} run's sub names its ref: pass --ref refs/heads/BRANCH, refs/tags/TAG "
            "or refs/pull/N/merge (or --environment for a job in an environment)",
            field="--ref",
        )
    return [
        github_token.TokenRun(
            subjects.Repo(owner, name, owner_id or None, repo_id or None),
            ref=args.ref,
            environment=args.environment,
            event=event,
            form=form,
            audience=_audience(args, provider_arn),
            workflow=args.workflow,
            job_workflow_ref=args.job_workflow_ref,
        )
        for form in forms
    ]


def _tokens(args: argparse.Namespace, provider_arn: str) -> list[tuple[str, github_token.Claims]]:
    """The token to judge with its form: one per form for ``both``; "" for a token given."""
    from oidcify.iam import github_token

    if args.repo is None:
        given = [f"--{o.replace('_', '-')}" for o in (*_RUN_OPTIONS, "event", "audience")
                 if getattr(args, o) is not None]  # fmt: skip
        if given:
            raise InputError("only applies with --repo", field=given[0])
    if args.claims is not None:
        return [("", github_token.parse_pairs(args.claims))]
    if args.token_json is not None:
        return [("", github_token.parse_token(_read(args.token_json, "--token-json")))]
    return [(run.form, github_token.run_claims(run)) for run in _runs(args, provider_arn)]


def _json(decision: Decision, token: github_token.Claims, provider_arn: str) -> dict[str, Any]:
    return {
        "decision": "ALLOW" if decision.allowed else "DENY",
        "allowed": decision.allowed,
        "deciding_statement": decision.deciding_label,
        "explicit_deny": decision.explicit_deny,
        "summary": decision.summary,
        "principal": provider_arn,
        "claims": token,
        "statements": [
            {
                "statement": r.statement.label,
                "index": r.statement.index,
                "effect": r.statement.effect,
                "applies": r.applies,
                "principal": {"matched": r.principal_matched, "reason": r.principal_reason},
                "action": {"matched": r.action_matched, "reason": r.action_reason},
                "conditions": [
                    {
                        "operator": c.condition.operator.name,
                        "key": c.condition.key,
                        "values": list(c.condition.values),
                        "held": c.held,
                        "reason": c.reason,
                    }
                    for c in r.conditions
                ],
            }
            for r in decision.statements
        ],
    }


def _text(decision: Decision, token: github_token.Claims) -> str:
    mark = {True: "  ok   ", False: "  FAIL "}
    shown = ("sub", "aud")
    lines = [decision.summary]
    lines += [f"  token {k}: {token[k]}" for k in shown if k in token]
    for r in decision.statements:
        verdict = "applies" if r.applies else "does not apply"
        lines.append(f"\n{r.statement.label} ({r.statement.effect}): {verdict}")
        lines.append(mark[r.principal_matched] + r.principal_reason)
        lines.append(mark[r.action_matched] + r.action_reason)
        lines += [mark[c.held] + c.reason for c in r.conditions]
    return "\n".join(lines)


def _unknown_claims(token: github_token.Claims) -> list[str]:
    """Notes for claims that are no GitHub claim only because of their case (``Sub``)."""
    return [
        f"note: claim {name!r} is not {name.lower()!r}: claim names are case-sensitive, and "
        "a claim GitHub does not issue is no condition key"
        for name in token
        if name != name.lower()
    ]


def _verdict(
    args: argparse.Namespace, policy: Policy, provider_arn: str | None, token: github_token.Claims
) -> tuple[bool, Any]:
    """Whether the policy allows ``token``, and the verdict as text or as a dict (json)."""
    from oidcify.iam import evaluate, github_request

    if provider_arn is None:
        summary = _no_provider(policy)
        if args.format == "json":
            return False, {"decision": "DENY", "allowed": False, "deciding_statement": None,
                           "explicit_deny": False, "summary": summary, "principal": None,
                           "claims": token, "statements": []}  # fmt: skip
        return False, summary
    decision = evaluate(policy, github_request(provider_arn, token))
    if args.format == "json":
        return decision.allowed, {**_json(decision, token, provider_arn),
                                  "notes": _unknown_claims(token)}  # fmt: skip
    return decision.allowed, "\n".join([_text(decision, token), *_unknown_claims(token)])


def _both(args: argparse.Namespace, verdicts: list[tuple[str, bool, Any]]) -> str:
    """ALLOW only when every form is allowed (GitHub may send either), then each verdict."""
    refused = [form for form, allowed, _ in verdicts if not allowed]
    if refused:
        verb = "is" if len(refused) == 1 else "are both"
        summary = f"DENY: the {' and the '.join(refused)} sub {verb} refused"
    else:
        summary = f"ALLOW: both the {' and the '.join(f for f, _, _ in verdicts)} sub are allowed"
    if args.format == "json":
        return json.dumps({"decision": summary.split(":")[0], "allowed": not refused,
                           "summary": summary, "refused_forms": refused,
                           "forms": {form: shown for form, _, shown in verdicts}},
                          indent=2)  # fmt: skip
    return "\n\n".join([summary, *(f"{form} sub: {shown}" for form, _, shown in verdicts)])


def run(args: argparse.Namespace) -> int:
    from oidcify.iam import parse_policy

    policy = parse_policy(_read(args.trust_policy, "--trust-policy"), origin=args.trust_policy)
    provider_arn = _provider_arn(args, policy)
    federated = policy.principal_identifiers("Federated", effect=None)
    tokens = _tokens(args, provider_arn or (federated[0] if federated else ""))
    verdicts = [(form, *_verdict(args, policy, provider_arn, token)) for form, token in tokens]
    if len(verdicts) > 1:
        print(_both(args, verdicts))
    else:
        _, _, shown = verdicts[0]
        print(json.dumps(shown, indent=2) if args.format == "json" else shown)
    return int(ExitCode.OK if all(ok for _, ok, _ in verdicts) else ExitCode.FINDINGS)
