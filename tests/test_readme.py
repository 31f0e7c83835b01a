"""README.md promises that stay true: the two-command Quickstart and the generated workflow."""

from __future__ import annotations

import re

from cases import BASE, REPO, Case, case_answers

README = (REPO / "README.md").read_text()


def test_quickstart_is_two_commands() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```console\n(.*?)```", quickstart, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]


def test_shown_workflow_is_what_the_template_renders(cases: dict[str, Case]) -> None:
    assert case_answers()["defaults"] == BASE  # the answers the README names
    shown = README.split("<!-- generated workflow: begin -->\n```yaml\n", 1)[1]
    shown = shown.split("```\n<!-- generated workflow: end -->", 1)[0]
    assert shown == cases["defaults"].workflow_path.read_text()
