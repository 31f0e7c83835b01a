"""The trust policy of oidcify's own generated Terraform, computed from its variables without
terraform, for machines that do not have it.

The template builds the policy with expressions python-hcl2 cannot evaluate (``dynamic`` blocks,
``for`` expressions, ``setproduct``), so this module mirrors ``main.tf``'s locals instead: the
partition from the region, the repository prefixes of the subject form, the contexts
(environment, else branches, tag pattern and pull requests), one statement of exact subjects
under StringEquals and one of patterns under StringLike, each with ``aud``. It is used only
when the configuration has the template's shape (``data.aws_iam_policy_document.trust`` with a
dynamic ``statement`` over ``local.subject_tests`` in 0.1.0, or one document per role of
``local.trust_subjects`` since 0.2.0, whose ``batch_roles`` bring their own subjects), and the
tests compare it with an offline ``terraform plan`` of a rendered configuration.
"""

from __future__ import annotations

from typing import Any

from oidcify.errors import InputError

HOST = "token.actions.githubusercontent.com"
REQUIRED = ("github_owner", "github_repo", "aws_account_id", "aws_region")


def is_template(document: dict[str, Any], locals_: dict[str, Any]) -> bool:
    dynamic = document.get("dynamic")
    shaped = "subject_tests" in locals_ or "trust_subjects" in locals_
    return bool(dynamic) and shaped and "contexts" in locals_


def _partition(region: str) -> tuple[str, str]:
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    return ("aws-us-gov" if region.startswith("us-gov-") else "aws"), "amazonaws.com"


def _subjects(v: dict[str, Any]) -> list[str]:
    form = v.get("subject_format", "legacy")
    owner, repo = v["github_owner"], v["github_repo"]
    prefixes = [] if form == "immutable" else [f"repo:{owner}/{repo}"]
    if form != "legacy":
        prefixes.append(f"repo:{owner}@{v.get('github_owner_id', '')}/{repo}@"
                        f"{v.get('github_repo_id', '')}")  # fmt: skip
    if v.get("deploy_environment"):
        contexts = [f"environment:{v['deploy_environment']}"]
    else:
        contexts = [f"ref:refs/heads/{b}" for b in v.get("deploy_branches", ["main"])]
        tag = v.get("deploy_tag_pattern", "v*")
        contexts += [f"ref:refs/tags/{tag}"] if tag else []
        contexts += ["pull_request"] if v.get("allow_pull_requests") in (True, "true") else []
    return [f"{prefix}:{context}" for prefix in prefixes for context in contexts]


def policy(variables: dict[str, Any], subjects: list[str] | None = None) -> dict[str, Any]:
    """The JSON trust policy ``terraform plan`` would show for these variables: for the
    configuration's own role, or for a batch role given its ``subjects``."""
    missing = [name for name in REQUIRED if not isinstance(variables.get(name), str)]
    if missing:
        raise InputError(f"no value for {', '.join(missing)} (terraform.tfvars)",
                         field="--terraform")  # fmt: skip
    partition, suffix = _partition(variables["aws_region"])
    provider = f"arn:{partition}:iam::{variables['aws_account_id']}:oidc-provider/{HOST}"
    subjects = _subjects(variables) if subjects is None else subjects
    tests = {
        "StringEquals": [s for s in subjects if not any(c in s for c in "*?")],
        "StringLike": [s for s in subjects if any(c in s for c in "*?")],
    }
    statements = []
    for test, values in tests.items():
        if not values:
            continue
        sid = "GitHubActionsExactSubjects" if test == "StringEquals" else \
            "GitHubActionsSubjectPatterns"  # fmt: skip
        conditions: dict[str, dict[str, Any]] = {"StringEquals": {f"{HOST}:aud": f"sts.{suffix}"}}
        conditions.setdefault(test, {})[f"{HOST}:sub"] = values[0] if len(values) == 1 else values
        statements.append({
            "Sid": sid, "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": {"Federated": provider}, "Condition": conditions,
        })  # fmt: skip
    return {"Version": "2012-10-17", "Statement": statements}
