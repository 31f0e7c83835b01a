"""The trust policy of oidcify's own generated Terraform, computed from its variables without
terraform, for machines that do not have it.

The template builds the policy with expressions python-hcl2 cannot evaluate (``dynamic`` blocks,
``for`` expressions, ``setproduct``), so this module mirrors ``main.tf``'s locals instead: the
partition from the region, the repository prefixes of the subject form, the contexts
(environment, else branches, tag pattern and pull requests), one statement of exact subjects
under StringEquals and one of patterns under StringLike, each with ``aud``. It is used only
when the configuration has the template's shape (``data.aws_iam_policy_document.trust`` with a
dynamic ``statement`` over ``local.subject_tests`` in 0.1.0, or one document per role of
``local.trust_subjects`` since 0.2.0, whose ``batch_roles`` bring their own subjects, or of
``local.trust_roles`` after 0.3.2, which also pin ``repository_id`` when it is known and, with
``pin_workflow``, the generated workflow's ``job_workflow_ref``, a statement per combination of
exact and pattern values), and the tests compare it with an offline ``terraform plan`` of a
rendered configuration.
"""

from __future__ import annotations

from typing import Any

from oidcify.errors import InputError

HOST = "token.actions.githubusercontent.com"
REQUIRED = ("github_owner", "github_repo", "aws_account_id", "aws_region")
WORKFLOW_PATH = ".github/workflows/build-and-push.yml"  # main.tf's local.workflow_path
# main.tf's local.statement_sids: by the tests of sub and of job_workflow_ref ("-": not pinned).
SIDS = {
    ("StringEquals", "-"): "GitHubActionsExactSubjects",
    ("StringEquals", "StringEquals"): "GitHubActionsExactSubjects",
    ("StringEquals", "StringLike"): "GitHubActionsExactSubjectsWorkflowRefPatterns",
    ("StringLike", "-"): "GitHubActionsSubjectPatterns",
    ("StringLike", "StringLike"): "GitHubActionsSubjectPatterns",
    ("StringLike", "StringEquals"): "GitHubActionsSubjectPatternsExactWorkflowRefs",
}


def is_template(document: dict[str, Any], locals_: dict[str, Any]) -> bool:
    dynamic = document.get("dynamic")
    shaped = any(name in locals_ for name in ("subject_tests", "trust_subjects", "trust_roles"))
    return bool(dynamic) and shaped and "contexts" in locals_


def _partition(region: str) -> tuple[str, str]:
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    return ("aws-us-gov" if region.startswith("us-gov-") else "aws"), "amazonaws.com"


def _claims(v: dict[str, Any], pin: bool) -> list[tuple[str, str]]:
    """(sub, job_workflow_ref) of each run of the generated workflow; "" when not pinned."""
    form = v.get("subject_format", "legacy")
    owner, repo = v["github_owner"], v["github_repo"]
    prefixes = [] if form == "immutable" else [f"repo:{owner}/{repo}"]
    if form != "legacy":
        prefixes.append(f"repo:{owner}@{v.get('github_owner_id', '')}/{repo}@"
                        f"{v.get('github_repo_id', '')}")  # fmt: skip
    pulls = v.get("allow_pull_requests") in (True, "true")
    if v.get("deploy_environment"):
        env_refs = ["refs/heads/*", "refs/tags/*"] + (["refs/pull/*/merge"] if pulls else [])
        contexts = {f"environment:{v['deploy_environment']}": env_refs}
    else:
        refs = [f"refs/heads/{b}" for b in v.get("deploy_branches", ["main"])]
        tag = v.get("deploy_tag_pattern", "v*")
        refs += [f"refs/tags/{tag}"] if tag else []
        contexts = {f"ref:{ref}": [ref] for ref in refs}
        contexts |= {"pull_request": ["refs/pull/*/merge"]} if pulls else {}
    workflow = f"{owner}/{repo}/{WORKFLOW_PATH}@"
    return [(f"{prefix}:{context}", f"{workflow}{ref}" if pin else "")
            for prefix in prefixes for context, refs in contexts.items()
            for ref in (refs if pin else [""])]  # fmt: skip


def _test(value: str) -> str:
    return "StringLike" if any(c in value for c in "*?") else "StringEquals"


def policy(
    variables: dict[str, Any], subjects: list[str] | None = None, repository_id: str = ""
) -> dict[str, Any]:
    """The JSON trust policy ``terraform plan`` would show for these variables: for the
    configuration's own role, or for a batch role given its ``subjects`` (and the
    ``repository_id`` its entry pins)."""
    missing = [name for name in REQUIRED if not isinstance(variables.get(name), str)]
    if missing:
        raise InputError(f"no value for {', '.join(missing)} (terraform.tfvars)",
                         field="--terraform")  # fmt: skip
    partition, suffix = _partition(variables["aws_region"])
    provider = f"arn:{partition}:iam::{variables['aws_account_id']}:oidc-provider/{HOST}"
    # Configurations that declare pin_workflow (the releases after 0.3.2) pin repository_id when
    # it is known; those of 0.3.2 and earlier pin neither it nor the workflow.
    pins = "pin_workflow" in variables
    if subjects is None:
        claims = _claims(variables, pins and variables["pin_workflow"] in (True, "true"))
        repository_id = str(variables.get("github_repo_id") or "")
    else:
        claims = [(s, "") for s in subjects]
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for sub, ref in claims:
        groups.setdefault((_test(sub), _test(ref) if ref else "-"), []).append((sub, ref))
    statements = []
    for (test, ref_test), members in sorted(groups.items()):
        conditions: dict[str, dict[str, Any]] = {"StringEquals": {f"{HOST}:aud": f"sts.{suffix}"}}
        if pins and repository_id:
            conditions["StringEquals"][f"{HOST}:repository_id"] = repository_id
        keyed = {"sub": (test, [s for s, _ in members])}
        if ref_test != "-":
            keyed["job_workflow_ref"] = (ref_test, [r for _, r in members])
        for key, (operator, listed) in keyed.items():
            values = list(dict.fromkeys(listed))
            conditions.setdefault(operator, {})[f"{HOST}:{key}"] = \
                values[0] if len(values) == 1 else values  # fmt: skip
        statements.append({
            "Sid": SIDS[(test, ref_test)], "Effect": "Allow",
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": {"Federated": provider}, "Condition": conditions,
        })  # fmt: skip
    return {"Version": "2012-10-17", "Statement": statements}
