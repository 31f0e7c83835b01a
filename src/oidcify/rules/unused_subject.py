"""OC202: a ``sub`` value in the trust policy that no checked workflow can present.

Every value of every Allow condition on ``sub`` is compared (pattern against pattern, exactly:
``check.patterns``) with the subjects of the runs of the jobs that assume the role. A value no
run matches admits something the workflows never use, such as a branch that was renamed or a
repository that is not this one. Values in the other subject form of this repository (legacy
while the workflows are judged in the immutable form, or the reverse) are left alone: a
policy admits both while a repository moves between them. With ``--subject-format both`` every
run presents both forms, and a value is unused only when neither form of any run matches it.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo

INFO = RuleInfo(
    id="OC202",
    name="unused-subject",
    severity="warning",
    summary="a trust-policy subject that no workflow can present",
    help="Remove the value (least privilege: the role should admit exactly the runs that "
    "assume it), or fix it if a workflow was meant to match it (a branch name, an environment, "
    "the repository's name). Check the whole repository, not single files, before removing.",
    tags=("trust",),
)


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.coverage is None or ctx.identity is None:
        return
    from oidcify.check.policies import sub_values

    identity = ctx.identity
    for policy in ctx.policies:
        for item in sub_values(policy):
            if ctx.coverage.used(item):
                continue
            if identity.names_this_repo(item.value) and not any(
                item.value.lower().startswith(prefix.lower() + ":") for prefix in identity.prefixes
            ):
                continue  # the other subject form of this repository
            other = (
                ""
                if identity.names_this_repo(item.value) or item.value.startswith("repo:*")
                else f" (it names another repository than {identity.full_name})"
            )
            place = policy.locator.value(item.value)
            yield INFO.at(
                place.path, place.line,
                f"{policy.label}: sub {item.value!r} ({item.condition.operator.name}, "
                f"{item.statement.label}) matches no run of the checked workflows{other}",
                column=place.column,
            )  # fmt: skip


EXAMPLE = Example(
    bad="""\
"StringLike": {"token.actions.githubusercontent.com:sub": [
  "repo:octo-org/app:ref:refs/heads/main",
  "repo:octo-org/app:ref:refs/heads/legacy-release"
]}
""",
    good="""\
"StringLike": {"token.actions.githubusercontent.com:sub": [
  "repo:octo-org/app:ref:refs/heads/main"
]}
""",
    lang="json",
)
