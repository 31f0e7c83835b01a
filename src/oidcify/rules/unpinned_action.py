"""OC107 (off by default; ``--enable OC107``): a third-party action or reusable workflow that is
not pinned to a full commit SHA.

Third party means not owned by GitHub (``actions/``, ``github/``). A tag or branch can be moved
to other code by whoever controls the repository; a 40-character SHA cannot. Docker actions
are reported when their image has no ``@sha256:`` digest. Local actions are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.rules._scan import step_name

INFO = RuleInfo(
    id="OC107",
    name="unpinned-action",
    severity="warning",
    summary="third-party action not pinned to a commit SHA",
    help="Pin to the full commit SHA of a release you reviewed and keep the version in a "
    "comment (`uses: owner/action@<40-hex-sha> # v1.2.3`); Dependabot and Renovate update such "
    "pins. For Docker images, pin the digest (`docker://image@sha256:...`).",
    default=False,
)
FIRST_PARTY = frozenset({"actions", "github"})


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, _ in ctx.workflows():
        path = loaded.source.display
        for job in wf.jobs.values():
            called = [(job.line, f"job {job.id}", job.uses)] if job.uses else []
            used = [(s.line, step_name(job, s), s.uses) for s in job.steps if s.uses]
            for line, where, ref in called + used:
                assert ref is not None
                if ref.kind == "docker" and "@sha256:" not in ref.raw:
                    yield INFO.at(path, line, f"{where}: {ref.raw} has no image digest")
                elif ref.kind in ("action", "workflow") and ref.owner.lower() not in FIRST_PARTY \
                        and not ref.is_sha:  # fmt: skip
                    yield INFO.at(path, line, f"{where}: {ref.raw} is not pinned to a commit SHA")


EXAMPLE = Example(
    bad="""\
- uses: jakejarvis/s3-sync-action@v0.5.1
""",
    good="""\
- uses: jakejarvis/s3-sync-action@7ed8b112447abb09f1da74f3466e4194fc7a6311  # v0.5.1
""",
)
