"""``oidcify retrofit`` end to end: modes, formats, exit codes, per-file errors, role sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cases import repo_of
from oidcify import cli
from oidcify.errors import ExitCode
from oidcify.subjects import forms

ROLE = "arn:aws:iam::123456789012:role/gha-deploy"
FIXTURES = Path(__file__).parent / "fixtures" / "retrofit"
STATIC = (FIXTURES / "or001-basic" / "input.yml").read_text(encoding="utf-8")
OIDC = (FIXTURES / "os001-already-oidc" / "input.yml").read_text(encoding="utf-8")


def make_repo(root: Path, files: dict[str, str | bytes], origin: str | None = None) -> Path:
    folder = root / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    if origin:
        (root / ".git").mkdir()
        (root / ".git" / "config").write_text(f'[remote "origin"]\n\turl = {origin}\n')
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["retrofit", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_is_the_default_and_writes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC, "oidc.yml": OIDC})
    code, out, err = run(capsys, str(repo), "--role-arn", ROLE)
    assert code == ExitCode.OK
    assert out.startswith("--- a/.github/workflows/deploy.yml\n+++ b/.github/workflows/deploy.yml")
    assert f"+          role-to-assume: {ROLE}" in out
    assert "oidc.yml" not in out
    assert (repo / ".github/workflows/deploy.yml").read_text(encoding="utf-8") == STATIC
    assert ".github/workflows/deploy.yml:18: OR001 " in err
    assert ".github/workflows/oidc.yml:11: OS001 " in err
    _, _, steps = err.partition(
        "1 file(s) to change, 1 unchanged; secrets to delete once "
        "merged: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY\n"
    )
    assert steps.splitlines() == [
        "oidcify retrofit: next steps:",
        "oidcify retrofit:   - print the sub claims each role must trust: oidcify retrofit "
        f"{repo} --print-subjects --repo OWNER/REPO",
        "oidcify retrofit:   - once merged, delete the secrets: "
        "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY",
    ]


def test_check_exits_1_when_changes_are_needed_and_needs_no_role(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    dirty = make_repo(tmp_path / "dirty", {"deploy.yml": STATIC})
    clean = make_repo(tmp_path / "clean", {"oidc.yml": OIDC})
    assert run(capsys, str(dirty), "--check")[0] == ExitCode.FINDINGS
    assert run(capsys, str(clean), "--check")[0] == ExitCode.OK


def test_write_changes_files_in_place_keeping_mode(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC, "oidc.yml": OIDC})
    deploy, oidc = repo / ".github/workflows/deploy.yml", repo / ".github/workflows/oidc.yml"
    deploy.chmod(0o640)
    untouched = oidc.stat()
    code, out, _ = run(capsys, str(repo), "--write", "--role-arn", ROLE)
    assert (code, out) == (ExitCode.OK, "")
    assert deploy.read_bytes() == (FIXTURES / "or001-basic" / "expected.yml").read_bytes()
    assert deploy.stat().st_mode & 0o777 == 0o640
    assert (oidc.stat().st_ino, oidc.stat().st_mtime_ns) == (
        untouched.st_ino,
        untouched.st_mtime_ns,
    )
    assert not [p for p in deploy.parent.iterdir() if p.name.endswith(".oidcify")]
    assert run(capsys, str(repo), "--check")[0] == ExitCode.OK  # idempotent on disk too


def test_one_bad_file_is_reported_and_nothing_is_written(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "outside.yml").write_text(STATIC, encoding="utf-8")
    repo = make_repo(
        tmp_path / "repo",
        {
            "deploy.yml": STATIC,
            "broken.yml": "on: [push\n",
            "latin1.yml": b"name: d\xe9ploiement\n",
        },
    )
    (repo / ".github/workflows/escape.yml").symlink_to(tmp_path / "outside.yml")
    code, _, err = run(capsys, str(repo), "--write", "--role-arn", ROLE)
    assert code == ExitCode.INPUT
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert errors == [
        "oidcify retrofit: error: .github/workflows/broken.yml: malformed YAML at line 2, "
        "column 1: expected ',' or ']', but got '<stream end>'",
        "oidcify retrofit: error: .github/workflows/escape.yml: symlink points outside the "
        f"repository (to {(tmp_path / 'outside.yml').resolve()})",
        "oidcify retrofit: error: .github/workflows/latin1.yml: not UTF-8: byte 0xe9 at line 1, "
        "column 8; save the file as UTF-8",
    ]
    assert "deploy.yml:18: OR001" in err  # the good file is still processed and reported
    assert (repo / ".github/workflows/deploy.yml").read_text(encoding="utf-8") == STATIC


def test_missing_role_is_one_clear_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    code, out, err = run(capsys, str(repo))
    assert (code, out) == (ExitCode.INPUT, "")
    assert err.startswith("oidcify retrofit: error: --role-arn: changes are needed but no role")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role-arn", "arn:aws:iam::123:role/x"], "--role-arn: 'arn:aws:iam::123:role/x' is not"),
        (["--account-id", "123456789012"], "--role-name: needed together"),
        (["--role-arn", ROLE, "--role-name", "x"], "--role-arn: give either"),
        (["--region", "mars-1"], "--region: unknown region 'mars-1'"),
        (
            ["--role-arn", ROLE, "--region", "cn-north-1"],
            "--region: region cn-north-1 is in partition aws-cn, the role in aws",
        ),
    ],
)
def test_bad_flags_name_the_flag(tmp_path: Path, capsys, argv: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    code, _, err = run(capsys, str(repo), *argv)
    assert code == ExitCode.INPUT
    assert err.startswith(f"oidcify retrofit: error: {message}"), err


def test_not_a_directory(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, str(tmp_path / "nope"))
    assert code == ExitCode.INPUT and "REPO_DIR: " in err


def test_json_report(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC, "oidc.yml": OIDC})
    code, out, err = run(capsys, str(repo), "--format", "json", "--role-arn", ROLE)
    data = json.loads(out)
    assert code == data["exit_code"] == 0 and err == ""
    assert data["mode"] == "diff" and data["changed"] is True
    deploy, oidc = data["files"]
    assert (deploy["path"], deploy["status"]) == (".github/workflows/deploy.yml", "changed")
    assert [f["code"] for f in deploy["fixes"]] == ["OR001", "OR004"]
    assert deploy["diff"].startswith("--- a/.github/workflows/deploy.yml")
    assert (oidc["status"], oidc["diff"], oidc["skipped"][0]["code"]) == ("unchanged", "", "OS001")
    assert data["deletable_secrets"] == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]


def test_print_subjects_from_git_origin(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC}, origin="git@github.com:Octo-Org/app.git")
    code, out, _ = run(capsys, str(repo), "--print-subjects")
    data = json.loads(out)
    assert code == 0
    assert data["repository"] == "Octo-Org/app"
    assert data["subjects"] == ["repo:Octo-Org/app:ref:refs/heads/main"]
    assert data["jobs"][0]["job"] == "deploy"


def test_print_subjects_immutable_form_and_missing_repo(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    code, _, err = run(capsys, str(repo), "--print-subjects")
    assert code == ExitCode.INPUT and "--repo: cannot tell" in err
    for form in ("immutable", "both"):
        code, _, err = run(capsys, str(repo), "--print-subjects", "--repo", "o/r",
                           "--subject-format", form)  # fmt: skip
        assert code == ExitCode.INPUT
        assert f"--subject-format: {form} needs --owner-id and --repo-id" in err
    code, out, _ = run(
        capsys,
        str(repo),
        "--print-subjects",
        "--repo",
        "o/r",
        "--owner-id",
        "1",
        "--repo-id",
        "2",
        "--subject-format",
        "both",
    )
    assert json.loads(out)["subjects"] == [
        "repo:o/r:ref:refs/heads/main",
        "repo:o@1/r@2:ref:refs/heads/main",
    ]


def test_print_subjects_count_full_callers_of_this_repository_only(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    case = FIXTURES / "claims-full-form-callers-and-expression-environment" / "input"
    files: dict[str, str | bytes] = {p.name: p.read_bytes() for p in sorted(case.iterdir())}
    repo = make_repo(tmp_path, files)
    subjects = {}
    for name in ("octo-org/app", "octo-org/shared"):
        code, out, _ = run(capsys, str(repo), "--print-subjects", "--repo", name)
        assert code == 0
        subjects[name] = next(
            j["contexts"] for j in json.loads(out)["jobs"] if j["job"] == "deploy"
        )
    # tags.yml calls octo-org/app's deploy.yml in full, other.yml octo-org/shared's
    assert subjects["octo-org/app"] == ["environment:*", "ref:refs/heads/main", "ref:refs/tags/v*"]
    assert subjects["octo-org/shared"] == ["environment:*", "ref:refs/heads/main",
                                           "ref:refs/heads/dev"]  # fmt: skip


@pytest.mark.parametrize("case", ["defaults", "both"])
def test_print_subjects_in_a_rendered_template(cases, case: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """The template records "" for ids it was not given; that means no id, not a bad --owner-id."""
    rendered = cases[case]
    code, out, err = run(capsys, str(rendered.root), "--print-subjects", "--no-input")
    assert code == ExitCode.OK and "error" not in err
    data = json.loads(out)
    expected = repo_of(rendered.answers)
    assert data["repository"] == "octo-org/app"
    assert data["jobs"] and data["subjects"]
    prefixes = {expected.prefix(f) for f in forms(rendered.answers["subject_format"])}
    assert {":".join(s.split(":")[:2]) for s in data["subjects"]} == prefixes


def test_print_subjects_names_a_bad_id_in_the_answers(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    (repo / ".copier-answers.yml").write_text(
        "github_owner: o\ngithub_repo: r\ngithub_owner_id: ''\ngithub_repo_id: x1\n"
    )
    code, _, err = run(capsys, str(repo), "--print-subjects", "--no-input")
    assert code == ExitCode.INPUT
    assert ".copier-answers.yml: github_repo_id: 'x1' is not valid" in err
    assert "--owner-id" not in err and "Traceback" not in err


def test_role_from_copier_answers(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    (repo / ".copier-answers.yml").write_text(
        "aws_account_id: '210987654321'\niam_role_name: from-template\naws_region: cn-north-1\n"
    )
    code, out, _ = run(capsys, str(repo))
    assert code == 0
    assert "role-to-assume: arn:aws-cn:iam::210987654321:role/from-template" in out


def test_asks_on_a_terminal(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import questionary

    answers = iter(["123456789012", "asked-role", "eu-west-1"])

    class Prompt:
        def ask(self) -> str:
            return next(answers)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr(questionary, "text", lambda *a, **k: Prompt())
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    code, out, _ = run(capsys, str(repo))
    assert code == 0
    assert "role-to-assume: arn:aws:iam::123456789012:role/asked-role" in out


def test_no_input_never_asks(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    assert run(capsys, str(repo), "--no-input")[0] == ExitCode.INPUT


def test_runs_in_the_current_directory(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    monkeypatch.chdir(repo)
    code, out, _ = run(capsys, "--write", "--role-arn", ROLE)
    assert (code, out) == (0, "")
    assert "role-to-assume" in (repo / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    assert [p.name for p in (repo / ".github/workflows").iterdir()] == ["deploy.yml"]


def test_asks_for_a_missing_region_on_a_terminal(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import questionary

    class Prompt:
        def ask(self) -> str:
            return "ap-south-1"

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr(questionary, "text", lambda *a, **k: Prompt())
    no_region = (FIXTURES / "os007-no-region" / "input.yml").read_text(encoding="utf-8")
    repo = make_repo(tmp_path, {"deploy.yml": no_region})
    code, out, err = run(capsys, str(repo), "--role-arn", ROLE)
    assert code == 0 and "OS007" not in err
    assert "+          aws-region: ap-south-1" in out


def test_commit_needs_write(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    code, _, err = run(capsys, str(repo), "--commit", "--role-arn", ROLE)
    assert code == ExitCode.INPUT and "--commit: needs --write" in err


def test_role_template_is_filled_in_per_repository(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path / "checkout", {"deploy.yml": STATIC}, "git@github.com:octo/app.git")
    template = "arn:aws:iam::123456789012:role/{owner}-{repo}-{name}"
    code, out, _ = run(capsys, str(repo), "--role-arn", template, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["repository"] == "octo/app"
    assert (
        "role-to-assume: arn:aws:iam::123456789012:role/octo-app-checkout"
        in data["files"][0]["diff"]
    )
    assert data["pull_request"]["title"] == "Move GitHub Actions from static AWS keys to OIDC"
    assert "`repo:octo/app:ref:refs/heads/main`" in data["pull_request"]["body"]
    code, _, err = run(capsys, str(repo), "--role-arn", "arn:aws:iam::123456789012:role/{x}")
    assert code == ExitCode.INPUT and "--role-arn: unknown placeholder {x}" in err


def test_files_without_a_document_and_folders_do_not_fail_the_repo(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(
        tmp_path,
        {"deploy.yml": STATIC, "empty.yml": b"", "old.yml": "# on: push\n", "null.yaml": "~\n"},
    )
    (repo / ".github/workflows/not-a-workflow.yml").mkdir()
    code, out, err = run(capsys, str(repo), "--write", "--role-arn", ROLE)
    assert (code, out) == (ExitCode.OK, "")
    assert "role-to-assume" in (repo / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    for name in ("empty.yml", "old.yml", "null.yaml"):
        assert f".github/workflows/{name}: OS011 no YAML document" in err
    assert "not-a-workflow" not in err and "error" not in err
    assert "1 file(s) changed, 3 unchanged;" in err
    assert run(capsys, str(repo), "--check")[0] == ExitCode.OK


def test_symlinked_workflows_change_their_one_real_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    repo = make_repo(tmp_path, {})
    (repo / "shared").mkdir()
    (repo / "shared/deploy.yml").write_text(STATIC, encoding="utf-8")
    (repo / ".github/workflows/in.yml").symlink_to("../../shared/deploy.yml")
    (repo / ".github/workflows/in2.yml").symlink_to("in.yml")
    code, patch, err = run(capsys, str(repo), "--role-arn", ROLE)
    assert code == ExitCode.OK
    assert patch.startswith("--- a/shared/deploy.yml\n+++ b/shared/deploy.yml\n")
    assert patch.count("--- a/") == 1
    for link in ("in.yml", "in2.yml"):
        assert f".github/workflows/{link}: OS012 symlink to shared/deploy.yml" in err
    git = shutil.which("git")
    if git is not None:  # the patch names a path git can apply (not the links)
        subprocess.run([git, "init", "-q"], cwd=repo, check=True)
        (tmp_path / "p.patch").write_text(patch, encoding="utf-8")
        subprocess.run([git, "apply", "--check", str(tmp_path / "p.patch")], cwd=repo, check=True)
    code, _, err = run(capsys, str(repo), "--write", "--role-arn", ROLE)
    assert code == ExitCode.OK and "1 file(s) changed, 2 unchanged" in err
    assert (repo / ".github/workflows/in2.yml").is_symlink()
    assert "role-to-assume" in (repo / "shared/deploy.yml").read_text(encoding="utf-8")


def test_check_needs_no_role_even_a_template_it_cannot_fill(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})  # no GitHub origin: {repo} is unknown
    template = "arn:aws:iam::123456789012:role/gha-{repo}"
    code, _, err = run(capsys, str(repo), "--check", "--role-arn", template)
    assert code == ExitCode.FINDINGS and "error" not in err
    code, _, err = run(capsys, str(repo), "--role-arn", template)
    assert code == ExitCode.INPUT
    assert "--roles-csv" not in err  # a batch-only flag
    assert "pass --repo OWNER/REPO, or set REPOSITORY=OWNER/REPO" in err


def test_a_role_name_over_64_characters_says_so(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    template = "arn:aws:iam::123456789012:role/github-actions-deploy-{owner}-{repo}"
    code, _, err = run(capsys, str(repo), "--role-arn", template, "--repo", "octo-org/" + "r" * 39)
    assert code == ExitCode.INPUT
    assert "the role name has 70 characters; IAM role names are at most 64" in err
    code, _, err = run(capsys, str(repo), "--role-arn", ROLE + "x" * 60)
    assert "IAM role names are at most 64" in err


EXPRESSION = "${{ vars.AWS_ROLE_ARN }}"
ENVIRONMENTS = (FIXTURES / "s2-role-per-environment-secret-job" / "input.yml").read_text(
    encoding="utf-8"
)


def test_no_workflow_files_is_an_input_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, str(tmp_path), "--role-arn", ROLE)
    assert (code, out) == (ExitCode.INPUT, "")
    assert f"REPO_DIR: no workflow files in {tmp_path}/.github/workflows" in err


def test_expression_role_from_flag_and_config(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC}, "https://github.com/octo/app.git")
    code, out, err = run(capsys, str(repo), "--role-arn", EXPRESSION)
    assert code == ExitCode.OK
    assert f"+          role-to-assume: {EXPRESSION}" in out
    assert "oidcify retrofit:   - define the Actions variable AWS_ROLE_ARN (the role ARN)" in err
    assert (
        f"oidcify retrofit:   - the trust policy of {EXPRESSION} must admit: "
        "repo:octo/app:ref:refs/heads/main" in err
    )
    (repo / ".oidcify.toml").write_text("role-arn = '${{ secrets.DEPLOY_ROLE }}'\n")
    code, out, _ = run(capsys, str(repo), "--format", "json")
    data = json.loads(out)
    assert "role-to-assume: ${{ secrets.DEPLOY_ROLE }}" in data["files"][0]["diff"]
    assert data["define"] == ["define the Actions secret DEPLOY_ROLE (the role ARN)"]
    assert "define the Actions secret DEPLOY_ROLE" in data["pull_request"]["body"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("${{ vars.A || vars.B }}", "'${{ vars.A || vars.B }}' is not a role; allowed:"),
        ("${{ github.token }}", "'${{ github.token }}' is not a role; allowed:"),
        ("${{ vars.X }}-suffix", "'${{ vars.X }}-suffix' is not a role; allowed:"),
    ],
)
def test_bad_expression_roles_are_refused(tmp_path: Path, capsys, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    code, _, err = run(capsys, str(repo), "--role-arn", value)
    assert code == ExitCode.INPUT
    allowed = (
        " an IAM role ARN or one of ${{ vars.NAME }}, ${{ secrets.NAME }}, ${{ inputs.NAME }}, "
        "${{ needs.JOB.outputs.NAME }}"
    )
    assert err.splitlines() == [f"oidcify retrofit: error: --role-arn: {message}{allowed}"]


def test_role_for_flags_and_roles_table_group_subjects_by_role(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": ENVIRONMENTS}, "https://github.com/octo/app.git")
    dev, prod = "arn:aws:iam::111111111111:role/dev", "arn:aws:iam::222222222222:role/prod"
    (repo / ".oidcify.toml").write_text(
        f"role-arn = '{ROLE}'\n[roles]\n'environment:production' = '{prod}'\n"
        f"'environment:development' = '{ROLE}'\n"
    )
    args = ("--role-for", f"environment:development={dev}", "--print-subjects")
    code, out, _ = run(capsys, str(repo), *args)
    assert code == ExitCode.OK
    assert json.loads(out)["roles"] == {
        dev: ["repo:octo/app:environment:development"],
        prod: ["repo:octo/app:environment:production"],
    }
    (repo / ".oidcify.toml").write_text("[roles]\n'team:x' = 'y'\n")
    code, _, err = run(capsys, str(repo), "--role-arn", ROLE)
    assert code == ExitCode.INPUT
    assert "oidcify retrofit: error: .oidcify.toml.roles: team:x: 'team:x' is not a selector" in err


def test_role_session_name_is_checked_and_written(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})
    good = "gha-${{ github.run_id }}"
    code, out, _ = run(capsys, str(repo), "--role-arn", ROLE, "--role-session-name", good)
    assert code == ExitCode.OK and f"+          role-session-name: {good}" in out
    bad = "gha-${{ github.head_ref }}"
    code, _, err = run(capsys, str(repo), "--role-arn", ROLE, "--role-session-name", bad)
    assert code == ExitCode.INPUT and f"--role-session-name: {bad!r}: allowed are" in err


def test_prompts_say_why_an_answer_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import questionary

    asked: list[str] = []
    answers = iter(["123456789012", "asked-role"])

    class Prompt:
        def __init__(self, question: str, validate: Any) -> None:
            asked.append(question)
            self.validate = validate

        def ask(self) -> str:
            return next(answers)

    prompts: list[Prompt] = []

    def text(question: str, default: str = "", validate: Any = None) -> Prompt:
        prompts.append(Prompt(question, validate))
        return prompts[-1]

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr(questionary, "text", text)
    repo = make_repo(tmp_path, {"deploy.yml": STATIC})  # its job names its region
    code, out, _ = run(capsys, str(repo))
    assert code == ExitCode.OK
    assert asked == ["AWS account id:", "IAM role name:"]  # no region question
    assert "role-to-assume: arn:aws:iam::123456789012:role/asked-role" in out
    assert prompts[0].validate("1234") == (
        "account id: '1234' is not valid: exactly 12 digits, leading zeros kept"
    )
    assert prompts[0].validate("123456789012") is True
