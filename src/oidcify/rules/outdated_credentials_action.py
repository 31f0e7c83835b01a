"""OC106: configure-aws-credentials older than the current major release.

The current major is the one oidcify's pin table holds (``oidcify pins list``). The version is
read from the ref (``@v4``, ``@v2.2.0``, ``@v1-node16``) or, for a SHA pin, from its comment
(``@<sha> # v4.1.0``); a branch or an uncommented SHA is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.oidc import CAC, is_cac
from oidcify.rules._scan import step_name

if TYPE_CHECKING:
    from oidcify.pins import Pin

INFO = RuleInfo(
    id="OC106",
    name="outdated-credentials-action",
    severity="warning",
    summary="configure-aws-credentials older than the current major",
    help="Old majors run on retired Node versions and miss fixes (v1 cannot read the OIDC "
    "token at all before 1.6). Move to the current release, pinned by SHA: `oidcify pins "
    "list` shows it, and `oidcify retrofit --upgrade-actions` rewrites the step.",
)


def check(ctx: Context) -> Iterator[Finding]:
    pin: Pin | None = None
    for loaded, wf, _ in ctx.workflows():
        for job in wf.jobs.values():
            for step in job.steps:
                version = step.uses.version if step.uses and is_cac(step) else None
                if version is None:
                    continue
                if pin is None:  # the pin table is read only when there is a version to judge
                    from oidcify.pins import load_pins

                    pin = load_pins()[CAC]
                if version[0] < int(pin.major.lstrip("v")):
                    yield INFO.at(
                        loaded.source.display, step.line,
                        f"{step_name(job, step)} uses configure-aws-credentials "
                        f"v{'.'.join(map(str, version))}; the current major is {pin.major} "
                        f"({pin.uses()})",
                        column=step.column,
                    )  # fmt: skip


EXAMPLE = Example(
    bad="""\
- uses: aws-actions/configure-aws-credentials@v1
""",
    good="""\
- uses: aws-actions/configure-aws-credentials@v6
""",
)
