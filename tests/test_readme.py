"""Promises of README.md and the docs/ pages that stay true: the two-command Quickstart, the
generated workflow (docs/new.md) and the CI job that checks for template updates
(docs/update.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cases import BASE, REPO, Case, case_answers
from oidcify import gates, pins

README = (REPO / "README.md").read_text()
NEW_PAGE = (REPO / "docs" / "new.md").read_text()
UPDATE_PAGE = (REPO / "docs" / "update.md").read_text()


def test_quickstart_is_two_commands() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```console\n(.*?)```", quickstart, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]


def test_shown_workflow_is_what_the_template_renders(cases: dict[str, Case]) -> None:
    assert case_answers()["defaults"] == BASE  # the answers docs/new.md names
    shown = NEW_PAGE.split("<!-- generated workflow: begin -->\n```yaml\n", 1)[1]
    shown = shown.split("```\n<!-- generated workflow: end -->", 1)[0]
    assert shown == cases["defaults"].workflow_path.read_text()


def _between(begin: str, end: str) -> str:
    return UPDATE_PAGE.split(f"{begin}\n```yaml\n", 1)[1].split(f"```\n{end}", 1)[0]


UPDATE_JOB = _between("<!-- template-update job: begin -->", "<!-- template-update job: end -->")


def test_update_job_pins_its_actions_like_the_template() -> None:
    table = pins.load_pins()
    used = re.findall(r"uses: (\S+) # (\S+)\n", UPDATE_JOB)
    assert used
    for reference, version in used:
        action = reference.split("@")[0]
        assert f"{reference} # {version}" == table[action].uses(), "run oidcify pins refresh"


@pytest.mark.slow
def test_update_job_passes_actionlint_and_zizmor(
    tmp_path: Path, actionlint_bin: Path, zizmor_bin: Path
) -> None:
    workflow = tmp_path / ".github" / "workflows" / "template-update.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(UPDATE_JOB)
    linted = gates.actionlint(actionlint_bin, [workflow])
    assert linted.passed, linted.details
    audited = gates.zizmor(zizmor_bin, [tmp_path])
    assert audited.passed, audited.details
