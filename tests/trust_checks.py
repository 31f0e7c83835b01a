"""Trust-policy checks shared by the template tests: the runs a generated workflow starts, and
the runs one change away from them that the role must refuse.

The admitted runs are derived from the rendered workflow (its triggers, the job's environment
and its file name), not from the Terraform locals that built the policy; tokens are built by
oidcify.iam.github_token (with repository_id when the answers know it, and job_workflow_ref) and
decided by oidcify.iam, as AWS STS would decide them.
"""

from __future__ import annotations

import dataclasses

from cases import Case, repo_of, step, triggers
from oidcify import aws, iam, subjects
from oidcify.iam import github_token
from oidcify.iam.github_token import TokenRun

# Names a GitHub filter's '*' can stand for (it never matches '/').
STAR_SAMPLES = ("x", "v9", "2.0.1", "feature-1")


def _instances(pattern: str) -> list[str]:
    return (
        [pattern.replace("*", sample) for sample in STAR_SAMPLES] if "*" in pattern else [pattern]
    )


def workflow_runs(case: Case) -> list[TokenRun]:
    """Every run the workflow's triggers start, in each subject form the repository may use."""
    on, job = triggers(case), case.workflow["jobs"]["build-and-push"]
    push = on.get("push") or {}
    refs = [("push", f"refs/heads/{b}") for p in push.get("branches", []) for b in _instances(p)]
    refs += [("push", f"refs/tags/{t}") for p in push.get("tags", []) for t in _instances(p)]
    if "pull_request" in on:
        refs.append(("pull_request", "refs/pull/7/merge"))
    if "workflow_dispatch" in on:
        refs.append(("workflow_dispatch", "refs/heads/any-branch"))
    creds = step(case, "aws-actions/configure-aws-credentials")
    assert creds is not None
    audience = creds["with"].get("audience", github_token.DEFAULT_AUDIENCE)
    return [
        TokenRun(repo_of(case.answers), ref=ref, environment=job.get("environment"), event=event,
                 form=form, audience=audience, workflow=case.workflow_path.name)
        for form in subjects.forms(case.answers["subject_format"])
        for event, ref in refs
    ]  # fmt: skip


def decide(case: Case, policy: iam.Policy, run: TokenRun) -> iam.Decision:
    answers = case.answers
    provider = aws.oidc_provider_arn(
        aws.partition_of(answers["aws_region"]), answers["aws_account_id"]
    )
    return iam.evaluate(policy, iam.github_request(provider, github_token.run_claims(run)))


def strangers(case: Case, base: TokenRun) -> dict[str, TokenRun]:
    """Runs that must be refused, each one change away from an admitted run."""
    answers, repo = case.answers, base.repo
    other_ids = {"owner_id": (repo.owner_id or 1) + 1, "repo_id": (repo.repo_id or 1) + 1}
    no_env = dataclasses.replace(base, environment=None, event="push")
    # A branch whose name starts like a deploy branch's: "main-evil", "release-evil".
    first = (answers["deploy_branches"] or ["main"])[0].split("*")[0].rstrip("/") or "main"
    runs = {
        "sibling repo": dataclasses.replace(
            base, repo=dataclasses.replace(repo, name="other-app", repo_id=other_ids["repo_id"])
        ),
        "name extending ours": dataclasses.replace(
            base,
            repo=dataclasses.replace(repo, name=f"{repo.name}-evil", repo_id=other_ids["repo_id"]),
        ),
        "another owner": dataclasses.replace(
            base, repo=dataclasses.replace(repo, owner="evil-org", owner_id=other_ids["owner_id"])
        ),
        "another branch": dataclasses.replace(no_env, ref="refs/heads/not-a-deploy-branch"),
        "branch extending ours": dataclasses.replace(no_env, ref=f"refs/heads/{first}-evil"),
        "non-matching tag": dataclasses.replace(no_env, ref="refs/tags/nope-1.0"),
        "another environment": dataclasses.replace(base, environment="staging"),
        "wrong audience": dataclasses.replace(base, audience="https://github.com/octo-org"),
    }
    if not answers["allow_pull_requests"] or answers["deploy_environment"]:
        runs["pull request"] = dataclasses.replace(
            no_env, ref="refs/pull/7/merge", event="pull_request"
        )
    if repo.repo_id is not None:  # in the legacy form, the very same sub
        recreated = dataclasses.replace(repo, repo_id=other_ids["repo_id"])
        runs["same name, new repository id"] = dataclasses.replace(base, repo=recreated)
    if answers["pin_workflow"]:
        runs["another workflow file"] = dataclasses.replace(base, workflow="deploy.yml")
        reusable = f"evil-org/lib/.github/workflows/{base.workflow}@{base.ref}"
        runs["same file name, reusable elsewhere"] = dataclasses.replace(
            base, job_workflow_ref=reusable
        )
    if answers["subject_format"] != "both":
        other_form = "legacy" if base.form == "immutable" else "immutable"
        with_ids = dataclasses.replace(repo, owner_id=repo.owner_id or 7, repo_id=repo.repo_id or 8)
        runs["subject form not asked for"] = dataclasses.replace(
            base, repo=with_ids, form=other_form
        )
    return runs


def assert_exact(case: Case, policy: iam.Policy) -> None:
    """Every run of the case's workflow is admitted; every stranger to each of them is refused."""
    runs = workflow_runs(case)
    assert runs
    for run in runs:
        decision = decide(case, policy, run)
        assert decision.allowed, (github_token.run_claims(run)["sub"], decision.summary)
        for what, other in strangers(case, run).items():
            decision = decide(case, policy, other)
            assert not decision.allowed, (
                what,
                github_token.run_claims(other)["sub"],
                decision.summary,
            )
