"""`copier update` on a generated repository, between the releases v1 and v2 of
template_versions.py: the user's edits stay, the release's changes arrive, a project nobody
edited converges on a fresh copy, a real conflict is left inline and refused, and Copier's own
refusals stay Copier's clear messages.

The template is a fresh git repository made from the working tree (conftest.template_repo):
Copier records the commit it rendered, and a template checkout with uncommitted changes would
record a draft commit that `copier update` cannot find again."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

import template_versions as tv
from cases import BASE, Case, extract_release, render
from oidcify import cli, conflicts, gates, iam, pins, terraform
from trust_checks import assert_exact

V1_CHECKOUT = pins.load_pins()["actions/checkout"]
USER_STEP = """
      - name: Tell the team
        run: echo "pushed ${GITHUB_SHA}"
"""
V1_COMMENT = "# No implicit `latest`: tags the answers did not ask for would move."
USER_COMMENT = "# No implicit `latest`: releases move it by hand."
ROLE_LINE = "  max_session_duration = var.max_session_duration\n"
USER_TAGS = '\n  tags = {\n    team = "platform"\n  }\n'


def assert_no_leftovers(project: Path) -> None:
    """The conflict check of an update: no marker and no .rej file anywhere in the project."""
    found = [leftover.describe(project) for leftover in conflicts.after_update(project)]
    assert not found, "conflicts left by the update:\n" + "\n".join(found)


def _edit_like_a_user(project: Path) -> None:
    workflow = project / tv.WORKFLOW
    workflow.write_text(workflow.read_text() + USER_STEP)
    tv.edit(workflow, V1_COMMENT, USER_COMMENT)
    tv.edit(project / tv.MAIN_TF, ROLE_LINE, ROLE_LINE + USER_TAGS)
    tv.commit_all(project, "our step, comment and tag")


@pytest.mark.slow
def test_update_keeps_the_users_edits_brings_v2_and_passes_the_gates(
    project: Path, actionlint_bin: Path, zizmor_bin: Path, terraform_bin: Path, tmp_path: Path
) -> None:
    _edit_like_a_user(project)
    tv.update(project)
    assert_no_leftovers(project)
    workflow = (project / tv.WORKFLOW).read_text()
    assert USER_STEP in workflow and USER_COMMENT in workflow and V1_COMMENT not in workflow
    assert f"uses: {tv.V2_CHECKOUT.uses()}\n" in workflow
    assert V1_CHECKOUT.commit not in workflow
    main_tf = (project / tv.MAIN_TF).read_text()
    assert ROLE_LINE + USER_TAGS in main_tf and tv.V2_REQUIRED in main_tf
    answers = tv.answers(project)
    assert answers["_commit"] == "v2"
    assert answers["job_timeout_minutes"] == 30 and answers["dockerfile_path"] == "Dockerfile"

    assert gates.actionlint(actionlint_bin, [project / tv.WORKFLOW]).passed
    audit = gates.zizmor(zizmor_bin, [project])
    assert audit.passed, audit.details
    config = (project / tv.MAIN_TF).parent
    planned = gates.terraform_gate(
        terraform_bin, [config], tmp_path / "tf", plugins=terraform.plugin_dir()
    )
    assert planned.passed, planned.details
    role = terraform.planned_resource(planned.plans[config], terraform.ROLE_ADDRESS)
    assert role["tags"] == {"team": "platform"}
    policy = iam.parse_policy(terraform.trust_policy(planned.plans[config]))
    assert_exact(Case("updated", project), policy)


def test_an_unedited_project_converges_on_a_fresh_copy(
    project: Path, template_repo: Path, tmp_path: Path
) -> None:
    tv.update(project)
    fresh = tmp_path / "fresh"
    render(BASE, fresh, src=template_repo, vcs_ref="v2")
    updated, expected = tv.tree(project), tv.tree(fresh)
    assert updated.keys() == expected.keys()
    assert [name for name in expected if updated[name] != expected[name]] == []
    assert tv.answers(project) == tv.answers(fresh)  # _commit too: a fresh copy at v2 says v2


def test_a_real_conflict_is_left_inline_and_refused(project: Path) -> None:
    tv.edit(project / tv.MAIN_TF, tv.V1_REQUIRED, 'required_version = ">= 1.7.0"')
    tv.commit_all(project, "we need 1.7")
    tv.update(project)
    lines = (project / tv.MAIN_TF).read_text().splitlines()
    start = lines.index("<<<<<<< before updating")
    assert lines[start : start + 5] == [
        "<<<<<<< before updating",
        '  required_version = ">= 1.7.0"',
        "=======",
        f"  {tv.V2_REQUIRED}",
        ">>>>>>> after updating",
    ]
    with pytest.raises(AssertionError) as refused:
        assert_no_leftovers(project)
    message = str(refused.value)
    assert f"{tv.MAIN_TF}:{start + 1}: unresolved conflict marker '<<<<<<< before updating'" in (
        message
    )
    assert f"{tv.MAIN_TF}:{start + 5}: unresolved conflict marker '>>>>>>> after updating'" in (
        message
    )
    # Copier marks the file unmerged, so `git commit -a` refuses it until it is resolved.
    assert tv.git(project, "status", "--porcelain").count(f"UU {tv.MAIN_TF}") == 1


def test_an_answer_changed_on_update_moves_triggers_and_tfvars_together(project: Path) -> None:
    main_tf = project / tv.MAIN_TF
    main_tf.write_text(main_tf.read_text() + "# our own note\n")
    tv.commit_all(project, "note")
    tv.update(project, data={"deploy_branches": ["main", "develop"]}, vcs_ref="v1")
    workflow = yaml.safe_load((project / tv.WORKFLOW).read_text())
    assert workflow[True]["push"]["branches"] == ["main", "develop"]
    tfvars = (project / "infra" / "github-oidc" / "terraform.tfvars").read_text()
    assert 'deploy_branches     = ["main", "develop"]' in tfvars
    assert main_tf.read_text().endswith("# our own note\n")
    answers = tv.answers(project)
    assert answers["aws_account_id"] == BASE["aws_account_id"] and answers["_commit"] == "v1"


def _copier_update(project: Path) -> subprocess.CompletedProcess[str]:
    copier = Path(sysconfig.get_path("scripts")) / "copier"
    argv = [str(copier)] if copier.exists() else [sys.executable, "-m", "copier"]
    return subprocess.run(
        [*argv, "update", "--defaults", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        ("dirty", "Destination repository is dirty; cannot continue."),
        ("not git", "Updating is only supported in git-tracked subprojects."),
    ],
)
def test_copier_refuses_a_dirty_or_non_git_project_clearly(
    project: Path, spoil: str, says: str
) -> None:
    workflow = (project / tv.WORKFLOW).read_bytes()
    if spoil == "dirty":
        (project / "notes.txt").write_text("not committed\n")
    else:
        shutil.rmtree(project / ".git")
    done = _copier_update(project)
    assert done.returncode != 0
    assert says in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert (project / tv.WORKFLOW).read_bytes() == workflow
    assert tv.answers(project)["_commit"] == "v1"


def _since(release: str, plain_template: Path, root: Path) -> Path:
    """A template repository holding the real ``release``, then the working tree as v9.0.0:
    what a repository bootstrapped at ``release`` meets on its next update."""
    root.mkdir()
    extract_release(release, root)
    tv.git(root, "init", "-q")
    tv.commit_all(root, release)
    tv.git(root, "tag", release)
    (root / "copier.yml").unlink()
    shutil.copy(plain_template / "copier.yml", root)
    for folder in ("template", "src"):
        shutil.rmtree(root / folder)
        shutil.copytree(plain_template / folder, root / folder)
    tv.commit_all(root, "now")
    tv.git(root, "tag", "v9.0.0")
    return root


@pytest.fixture(scope="module")
def since_0_2_0(plain_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _since("v0.2.0", plain_template, tmp_path_factory.mktemp("since-0.2.0") / "template")


@pytest.fixture(scope="module")
def since_0_3_2(plain_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The last release before pin_workflow, then the working tree."""
    return _since("v0.3.2", plain_template, tmp_path_factory.mktemp("since-0.3.2") / "template")


def _bootstrapped_at_0_2_0(template: Path, root: Path, **ids: str) -> Path:
    return tv.bootstrapped(template, root / "project", {**BASE, **ids}, "v0.2.0")


@pytest.mark.slow
def test_answers_of_0_2_0_without_ids_stay_valid(since_0_2_0: Path, tmp_path: Path) -> None:
    project = _bootstrapped_at_0_2_0(since_0_2_0, tmp_path)
    answers = tv.answers(project)
    assert answers["github_owner_id"] == answers["github_repo_id"] == ""
    tv.update(project)
    fresh = tmp_path / "fresh"
    render(BASE, fresh, src=since_0_2_0, vcs_ref="v9.0.0")
    assert tv.tree(project) == tv.tree(fresh)
    assert tv.answers(project) == tv.answers(fresh)


@pytest.mark.slow
def test_half_an_id_pair_from_0_2_0_stops_the_update_naming_the_missing_id(
    since_0_2_0: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """0.2.0 took github_owner_id alone and ignored it; the update says so rather than
    carrying an answer that does nothing, and changes nothing until it is answered."""
    project = _bootstrapped_at_0_2_0(since_0_2_0, tmp_path, github_owner_id="12")
    before = tv.git(project, "rev-parse", "HEAD")
    assert cli.main(["update", str(project), "--defaults", "--no-gates"]) == 2
    assert capsys.readouterr().err == (
        "oidcify update: error: github_repo_id: is required: pass --data github_repo_id=VALUE\n"
    )
    assert tv.git(project, "status", "--porcelain") == ""
    assert tv.git(project, "rev-parse", "HEAD") == before
    argv = ["update", str(project), "--defaults", "--no-gates", "-d", "github_owner_id="]
    assert cli.main(argv) == 0
    assert tv.answers(project)["github_owner_id"] == ""


IDS = {"github_owner_id": "1234567", "github_repo_id": "987654321"}


@pytest.mark.slow
@pytest.mark.parametrize("ids", [{}, IDS], ids=["no ids", "ids"])
def test_update_from_0_3_2_asks_only_pin_workflow_and_converges_on_a_fresh_copy(
    since_0_3_2: Path, tmp_path: Path, prompts: tv.Prompts, ids: dict[str, str]
) -> None:
    project = tv.bootstrapped(since_0_3_2, tmp_path / "project", {**BASE, **ids}, "v0.3.2")
    assert "pin_workflow" not in tv.answers(project)
    tv.update(project, defaults=False, skip_answered=True)
    assert prompts.asked == ["pin_workflow"]
    assert_no_leftovers(project)
    assert tv.answers(project)["pin_workflow"] is True
    fresh = tmp_path / "fresh"
    render({**BASE, **ids}, fresh, src=since_0_3_2, vcs_ref="v9.0.0")
    assert tv.tree(project) == tv.tree(fresh)
    assert tv.answers(project) == tv.answers(fresh)


@pytest.mark.slow
def test_update_from_0_3_2_keeps_the_users_edits_and_pins_the_role(
    since_0_3_2: Path,
    tmp_path: Path,
    actionlint_bin: Path,
    zizmor_bin: Path,
    terraform_bin: Path,
) -> None:
    answers = {**BASE, **IDS, "subject_format": "both", "allow_pull_requests": True}
    project = tv.bootstrapped(since_0_3_2, tmp_path / "project", answers, "v0.3.2")
    _edit_like_a_user(project)
    tv.update(project)
    assert_no_leftovers(project)
    workflow = (project / tv.WORKFLOW).read_text()
    assert USER_STEP in workflow and USER_COMMENT in workflow
    assert ROLE_LINE + USER_TAGS in (project / tv.MAIN_TF).read_text()
    assert tv.answers(project)["_commit"] == "v9.0.0"

    assert gates.actionlint(actionlint_bin, [project / tv.WORKFLOW]).passed
    audit = gates.zizmor(zizmor_bin, [project])
    assert audit.passed, audit.details
    config = (project / tv.MAIN_TF).parent
    planned = gates.terraform_gate(
        terraform_bin, [config], tmp_path / "tf", plugins=terraform.plugin_dir()
    )
    assert planned.passed, planned.details
    policy = iam.parse_policy(terraform.trust_policy(planned.plans[config]))
    # every run of the workflow, and no recreated repository nor other workflow file
    assert_exact(Case("updated", project), policy)
    key = "token.actions.githubusercontent.com:repository_id"
    pinned = [(c.key, c.values) for s in policy.statements for c in s.conditions if "_id" in c.key]
    assert pinned == [(key, (IDS["github_repo_id"],))] * len(policy.statements)
