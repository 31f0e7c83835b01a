"""Answers across releases (docs/template-maintenance.md): a renamed question keeps the old
answer without asking, a new question's default reproduces the old output, and the two Copier
behaviours the pattern steers around really behave as documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import template_versions as tv
from cases import BASE, render

OWN_DOCKERFILE = "docker/app.Dockerfile"


def _project_at_v1(template_repo: Path, root: Path, **answers: Any) -> Path:
    return tv.bootstrapped(template_repo, root / "project", {**BASE, **answers}, "v1")


def test_a_renamed_question_keeps_the_old_answer_without_asking(
    template_repo: Path, tmp_path: Path, prompts: tv.Prompts
) -> None:
    project = _project_at_v1(template_repo, tmp_path, dockerfile=OWN_DOCKERFILE)
    v1_workflow = (project / tv.WORKFLOW).read_text()
    tv.update(project, defaults=False, skip_answered=True)
    # Only the question v2 adds is new to this project; the renamed one is answered already.
    assert prompts.asked == ["job_timeout_minutes"]
    answers = tv.answers(project)
    assert answers["dockerfile_path"] == OWN_DOCKERFILE and "dockerfile" not in answers
    v1_checkout = [line for line in v1_workflow.splitlines() if "actions/checkout@" in line]
    assert len(v1_checkout) == 1
    expected = v1_workflow.replace(v1_checkout[0], f"        uses: {tv.V2_CHECKOUT.uses()}")
    assert (project / tv.WORKFLOW).read_text() == expected  # only the pin moved

    tv.commit_all(project, "update to v2")
    tv.update(project, defaults=False, skip_answered=True)  # the next update asks nothing
    assert prompts.asked == ["job_timeout_minutes"]
    assert tv.answers(project)["dockerfile_path"] == OWN_DOCKERFILE


def test_new_projects_are_asked_the_new_name_and_the_old_one_still_answers_it(
    template_repo: Path, tmp_path: Path, prompts: tv.Prompts
) -> None:
    render(BASE, tmp_path / "asked", src=template_repo, vcs_ref="v2")  # every default taken
    assert tv.answers(tmp_path / "asked")["dockerfile_path"] == "Dockerfile"
    import copier

    copier.run_copy(str(template_repo), tmp_path / "asking", data=BASE, vcs_ref="v2", quiet=True)
    assert "dockerfile_path" in prompts.asked and "dockerfile" not in prompts.asked
    scripted = tmp_path / "scripted"
    render({**BASE, "dockerfile": OWN_DOCKERFILE}, scripted, src=template_repo, vcs_ref="v2")
    assert f"file: {OWN_DOCKERFILE}\n" in (scripted / tv.WORKFLOW).read_text()
    assert tv.answers(scripted)["dockerfile_path"] == OWN_DOCKERFILE


# Two ways a release can lose an answer silently. v1 asks `mode` (answered "b" below); v2
# changes the question as shown, and `copier update --defaults` takes the default "a".
TRAPS = {
    # Copier deletes the last answer of a question whose `when` is false (_main.py, _ask).
    "asked question made computed": "mode:\n  default: a\n  when: false\n",
    # Copier deletes a last answer that the new choices or validator refuse (_main.py, _ask).
    "choices narrowed": "mode:\n  default: a\n  choices: [a, c]\n",
}


@pytest.mark.parametrize("change", sorted(TRAPS))
def test_copier_drops_old_answers_in_the_documented_traps(tmp_path: Path, change: str) -> None:
    import copier

    template = tmp_path / "template"
    (template / "t").mkdir(parents=True)
    (template / "t" / "mode.txt.jinja").write_text("{{ mode }}\n")
    (template / "t" / "{{ _copier_conf.answers_file }}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml }}"
    )
    (template / "copier.yml").write_text("_subdirectory: t\nmode:\n  default: a\n")
    tv.git(template, "init", "-q")
    tv.commit_all(template, "v1")
    tv.git(template, "tag", "v1")
    (template / "copier.yml").write_text("_subdirectory: t\n" + TRAPS[change])
    tv.commit_all(template, "v2")
    tv.git(template, "tag", "v2")
    project = tmp_path / "project"
    copier.run_copy(str(template), project, data={"mode": "b"}, vcs_ref="v1", quiet=True)
    tv.git(project, "init", "-q")
    tv.commit_all(project, "v1")
    tv.update(project)
    assert (project / "mode.txt").read_text() == "a\n"  # "b" is gone, and nobody was asked
