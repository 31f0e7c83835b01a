"""Rendering the template with Copier, as ``oidcify new`` and the tests do, from a checkout.

Each run copies the template into a fresh directory with the default answers; the median is what
a user waits for before the gates start.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from oidcify import template, template_location

TARGETS = {"render_ms": ("<=", 1500.0)}
ANSWERS = {"github_owner": "octo-org", "github_repo": "app", "aws_account_id": "012345678901"}


def run(smoke: bool) -> dict[str, object]:
    runs = 2 if smoke else 9
    src = template_location.source()
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        for n in range(runs):
            start = time.perf_counter()
            template.render(src, Path(scratch) / str(n), ANSWERS, defaults=True, vcs_ref="HEAD")
            times.append((time.perf_counter() - start) * 1000)
    return {"runs": runs, "render_ms": round(statistics.median(times), 1),
            "first_ms": round(times[0], 1)}  # fmt: skip
