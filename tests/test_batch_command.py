"""``oidcify batch`` end to end over local git repositories built from the corpus, with broken
ones among them: modes, statuses and reasons, the report, patches, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from batch_repos import FIXTURES, OIDC, ROLE, STATIC, corpus_repos, git, make_repo, status
from oidcify import cli
from oidcify.errors import ExitCode

TEMPLATE = "arn:aws:iam::123456789012:role/gha-{repo}"


def batch(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["batch", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def broken_repos(base: Path) -> dict[str, Path]:
    """Repositories that fail or are skipped on purpose, next to good ones."""
    bad_yaml = make_repo(base / "bad-yaml", {"ci.yml": "on: [push\n", "deploy.yml": STATIC})
    folder = make_repo(base / "folder-as-file", {"deploy.yml": STATIC})
    (folder / ".github/workflows/release.yml").mkdir()  # named like a workflow: ignored
    latin1 = make_repo(base / "latin1", {"ci.yml": b"name: d\xe9ploiement\n", "deploy.yml": STATIC})
    dangling = make_repo(base / "dangling", {"deploy.yml": STATIC})
    (dangling / ".github/workflows/gone.yml").symlink_to(base / "nowhere.yml")
    no_workflows = base / "no-workflows"
    (no_workflows / ".git").mkdir(parents=True)
    return {
        "bad-yaml": bad_yaml,
        "folder": folder,
        "latin1": latin1,
        "dangling": dangling,
        "none": no_workflows,
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("pristine")
    corpus_repos(base / "corpus")
    broken_repos(base / "broken")
    return base


@pytest.fixture
def repos(pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the corpus and broken repositories for one test."""
    shutil.copytree(pristine, tmp_path / "repos", symlinks=True)
    return tmp_path / "repos"


def by_label(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["label"]: r for r in report["repositories"]}


def test_dry_run_reports_every_repository_and_changes_nothing(repos: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    report_file = repos / "report.json"
    code, out, err = batch(
        capsys, str(repos / "corpus"), str(repos / "broken"), "--role-arn", TEMPLATE,
        "--region", "us-east-1", "--report", str(report_file), "--jobs", "2",
    )  # fmt: skip
    assert code == ExitCode.INPUT  # some repositories failed
    report = json.loads(report_file.read_text())
    found = by_label(report)
    assert found["bad-yaml"]["status"] == "failed"
    assert "ci.yml: malformed YAML" in found["bad-yaml"]["reason"]
    # a folder named like a workflow is ignored; the repository fails only for want of a role
    assert found["folder-as-file"]["changed_files"] == [".github/workflows/deploy.yml"]
    assert found["folder-as-file"]["reason"].startswith("--role-arn: cannot tell the GitHub")
    assert "ci.yml: not UTF-8: byte 0xe9" in found["latin1"]["reason"]
    assert "gone.yml: broken symlink" in found["dangling"]["reason"]
    # a workflow that could not be read may use any secret: none is called deletable
    assert found["dangling"]["deletable_secrets"] == []
    assert {w["code"] for w in found["dangling"]["warnings"]} >= {"OW010"}
    assert (found["no-workflows"]["status"], found["no-workflows"]["reason"]) == (
        "skipped",
        "no workflow files in .github/workflows",
    )
    static = found["CraigDevJohnson__soccer_scraper"]
    assert static["status"] == "changed"
    assert static["role_arn"] == "arn:aws:iam::123456789012:role/gha-soccer_scraper"
    assert static["repository"] == "CraigDevJohnson/soccer_scraper"
    assert {f["code"] for f in static["fixes"]} >= {"OR001"}
    assert static["deletable_secrets"] and static["subjects"]
    assert all(s.startswith("repo:CraigDevJohnson/soccer_scraper:") for s in static["subjects"])
    assert found["DiscreteTom__awsome-doctor"]["status"] == "unchanged"  # already on OIDC
    counts = report["counts"]
    assert counts["failed"] == 4 and counts["skipped"] == 1 and counts["changed"] > 20
    assert report["warnings"]["OW002"] > 0 and report["left_alone"]["OS001"] > 0
    # stdout: each changed repository's diff, headed by its label; nothing was written
    assert out.count("# oidcify batch: ") == counts["changed"]
    assert "\n+++ b/.github/workflows/" in out
    for repo in (repos / "corpus").iterdir():
        assert status(repo) == ""
    assert "failed" in err and "bad-yaml" in err


def test_diff_dir_patches_apply_and_equal_write(repos: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    corpus = repos / "corpus"
    written = tmp_path / "written"
    shutil.copytree(corpus, written, symlinks=True)
    patches = tmp_path / "patches"
    args = ("--role-arn", TEMPLATE, "--region", "us-east-1", "-q")
    code, out, _ = batch(capsys, str(corpus), "--diff-dir", str(patches), *args)
    assert (code, out) == (ExitCode.OK, "")
    assert batch(capsys, str(written), "--write", *args)[0] == ExitCode.OK
    names = sorted(p.name for p in patches.iterdir())
    assert names and all(n.endswith(".patch") for n in names)
    for patch in patches.iterdir():
        repo = corpus / patch.name.removesuffix(".patch")
        git(repo, "apply", "--whitespace=nowarn", str(patch))
        for path in git(repo, "diff", "--name-only").split():
            assert (repo / path).read_bytes() == (written / repo.name / path).read_bytes()
    changed = {p.name for p in written.iterdir() if status(p)}
    assert changed == {n.removesuffix(".patch") for n in names}


def test_write_then_nothing_left_to_do(repos: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    corpus = repos / "corpus"
    args = ("--role-arn", TEMPLATE, "--region", "us-east-1", "-q")
    assert batch(capsys, str(corpus), "--check")[0] == ExitCode.FINDINGS
    assert batch(capsys, str(corpus), "--write", *args)[0] == ExitCode.OK
    assert batch(capsys, str(corpus), "--check")[0] == ExitCode.OK
    code, out, err = batch(capsys, str(corpus), *args)
    assert (code, out) == (ExitCode.OK, "")
    assert " 0 to change," in err
    leftovers = [p for p in corpus.rglob("*") if p.name.endswith((".oidcify", ".tmp"))]
    assert leftovers == []


def test_commit_one_commit_per_changed_repository_on_a_new_branch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    app = make_repo(tmp_path / "app", {"deploy.yml": STATIC}, "git@github.com:octo/app.git")
    git(app, "remote", "add", "upstream", str(remote))
    done = make_repo(tmp_path / "done", {"oidc.yml": OIDC}, "git@github.com:octo/done.git")
    dirty = make_repo(tmp_path / "dirty", {"deploy.yml": STATIC}, "git@github.com:octo/dirty.git")
    (dirty / ".github/workflows/deploy.yml").write_text(STATIC + "# local edit\n")
    taken = make_repo(tmp_path / "taken", {"deploy.yml": STATIC}, "git@github.com:octo/taken.git")
    git(taken, "branch", "oidc")
    before = {r.name: git(r, "rev-parse", "main").strip() for r in (app, done, dirty, taken)}
    code, _, err = batch(
        capsys, str(app), str(done), str(dirty), str(taken), "--write", "--commit",
        "--branch", "oidc", "--role-arn", ROLE, "--region", "eu-west-1",
    )  # fmt: skip
    assert code == ExitCode.INPUT
    assert "dirty: git: dirty tree: uncommitted changes in .github/workflows/deploy.yml" in err
    assert "taken: git: branch oidc already exists" in err
    assert git(app, "rev-list", "--count", "main..oidc").strip() == "1"
    assert git(app, "branch", "--show-current").strip() == "oidc"
    assert status(app) == ""
    message = git(app, "log", "-1", "--format=%B")
    assert message.startswith("Move GitHub Actions from static AWS keys to OIDC\n\n")
    assert f"`{ROLE}`" in message and "`repo:octo/app:ref:refs/heads/main`" in message
    assert "delete these repository secrets: `AWS_ACCESS_KEY_ID`" in message
    for repo in (app, done, dirty, taken):  # no other branch moved, nothing pushed
        assert git(repo, "rev-parse", "main").strip() == before[repo.name]
    assert git(remote, "for-each-ref").strip() == ""
    assert git(done, "branch", "--list", "oidc").strip() == ""  # unchanged: no branch
    assert (dirty / ".github/workflows/deploy.yml").read_text().endswith("# local edit\n")
    assert git(dirty, "branch", "--list", "oidc").strip() == ""


def test_commit_rolls_back_when_git_refuses(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    app = make_repo(tmp_path / "app", {"deploy.yml": STATIC}, "git@github.com:octo/app.git")
    hook = app / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, _, err = batch(
        capsys, str(app), "--write", "--commit", "--branch", "oidc", "--role-arn", ROLE
    )
    assert code == ExitCode.INPUT and "hook says no" in err
    assert git(app, "branch", "--show-current").strip() == "main"
    assert git(app, "branch", "--list", "oidc").strip() == ""
    assert status(app) == ""


def test_jobs_do_not_change_the_result(repos: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    reports = []
    for jobs in ("1", "2"):
        out = repos / f"report-{jobs}.json"
        batch(capsys, str(repos / "corpus"), "--check", "--jobs", jobs, "--report", str(out))
        data = json.loads(out.read_text())
        reports.append(data["repositories"])
    assert reports[0] == reports[1]


def test_roles_csv_and_missing_role(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    one = make_repo(tmp_path / "one", {"deploy.yml": STATIC}, "https://github.com/Octo/One.git")
    two = make_repo(tmp_path / "two-dir", {"deploy.yml": STATIC})
    three = make_repo(tmp_path / "three", {"deploy.yml": STATIC})
    csv = tmp_path / "roles.csv"
    csv.write_text(
        "repo,role_arn,region\n"
        "octo/one,arn:aws:iam::111111111111:role/one,eu-west-1\n"
        "two-dir,arn:aws-cn:iam::222222222222:role/two,cn-north-1\n"
    )
    report = tmp_path / "report.json"
    code, out, _ = batch(
        capsys, str(one), str(two), str(three), "--roles-csv", str(csv), "--report", str(report)
    )
    found = by_label(json.loads(report.read_text()))
    assert code == ExitCode.INPUT
    assert found["one"]["role_arn"] == "arn:aws:iam::111111111111:role/one"
    assert found["two-dir"]["role_arn"] == "arn:aws-cn:iam::222222222222:role/two"
    assert found["three"]["status"] == "failed"
    assert found["three"]["reason"].startswith("no role: pass --role-arn or --roles-csv")
    assert "role-to-assume: arn:aws-cn:iam::222222222222:role/two" in out


def test_roles_csv_row_matching_no_repository_is_refused_before_any_runs(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys
) -> None:
    alpha = make_repo(tmp_path / "alpha", {"deploy.yml": STATIC}, "https://github.com/Acme/alpha")
    # no github.com origin: the template's answers say which repository it is
    beta = make_repo(tmp_path / "beta", {"deploy.yml": STATIC})
    (beta / ".copier-answers.yml").write_text("github_owner: Acme\ngithub_repo: beta\n")
    csv = tmp_path / "roles.csv"
    special = "arn:aws:iam::123456789012:role/special"
    csv.write_text(f"repo,role_arn\nalpah,{special}\nacme/beta,{special}\n")
    code, out, err = batch(
        capsys, str(alpha), str(beta), "--write", "--role-arn", ROLE, "--roles-csv", str(csv)
    )
    assert code == ExitCode.INPUT and out == ""
    assert err == (
        f"oidcify batch: error: {csv}:2: repo: alpah matches no repository of the batch (by "
        "github.com origin remote, template answers or checkout directory name); fix the typo "
        "or drop the row, so that no repository falls back to another role\n"
    )
    assert status(alpha) == "" and status(beta) == "?? .copier-answers.yml\n"
    csv.write_text(f"repo,role_arn\nalpha,{special}\nacme/beta,{special}\n")
    code, _, err = batch(capsys, str(alpha), str(beta), "--role-arn", ROLE, "--roles-csv", str(csv))
    assert code == ExitCode.OK, err


@pytest.mark.parametrize("order", ["name first", "repository first"])
def test_two_rows_with_different_roles_for_one_checkout_are_refused(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, order: str
) -> None:
    alpha = make_repo(tmp_path / "alpha", {"deploy.yml": STATIC}, "https://github.com/acme/alpha")
    rows = ["alpha,arn:aws:iam::123456789012:role/a", "acme/alpha,arn:aws:iam::123456789012:role/b"]
    rows = rows if order == "name first" else rows[::-1]
    csv = tmp_path / "roles.csv"
    csv.write_text("repo,role_arn\n" + "\n".join(rows) + "\n")
    code, out, err = batch(capsys, str(alpha), "--write", "--roles-csv", str(csv))
    assert code == ExitCode.INPUT and out == "" and status(alpha) == ""
    assert err.startswith(f"oidcify batch: error: {csv}:2: repo: the checkout alpha matches ")
    assert f"the row at {csv}:3 " in err and "role/a" in err and "role/b" in err
    assert err.count("\n") == 1
    # The same role twice is no conflict.
    csv.write_text("repo,role_arn\nalpha,arn:aws:iam::123456789012:role/a\n"
                   "Acme/Alpha,arn:aws:iam::123456789012:role/a\n")  # fmt: skip
    assert batch(capsys, str(alpha), "--roles-csv", str(csv))[0] == ExitCode.OK


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role-arn", "arn:aws:iam::123456789012:role/{team}"], "unknown placeholder {team}"),
        (["--role-arn", "arn:aws:iam::12345:role/{repo}"], "--role-arn: 'arn:aws:iam::12345:"),
        (["--commit"], "--commit: needs --write"),
        (["--write", "--commit"], "--branch: --commit and --branch NAME go together"),
        (["--check", "--diff-dir", "x"], "--diff-dir: only for a dry run"),
        (["--write", "--commit", "--branch", "a..b"], "'a..b' is not a valid branch name"),
        (["--trust-out", "trust.tfvars"], "--trust-out: must end in .tfvars.json"),
        (["--report", "/nonexistent/r.json"], "--report: folder /nonexistent does not exist"),
        (["--report", "/tmp"], "--report: /tmp is a directory; give a file name"),
        (["--report", "/proc/r.json"], "--report: cannot write in /proc"),
        (["--trust-out", "/tmp/"], "--trust-out: /tmp is a directory"),
        (
            ["--role-arn", "arn:aws:iam::123456789012:role/" + "x" * 62 + "-{name}"],
            "the role name has 66 characters; IAM role names are at most 64",
        ),
        (["--jobs", "-1"], "--jobs: must be 1 or more"),
    ],
)
def test_bad_flags_fail_before_any_repository(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, argv: list[str], message: str
) -> None:
    repo = make_repo(tmp_path / "app", {"deploy.yml": STATIC})
    code, _, err = batch(capsys, str(repo), *argv)
    assert code == ExitCode.INPUT
    assert err.startswith("oidcify batch: error: ") and message in err, err
    assert status(repo) == ""


def test_no_repositories(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = batch(capsys)
    assert code == ExitCode.INPUT and "REPO: no repositories" in err


def test_parent_process_stays_light(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "app", {"deploy.yml": STATIC})
    probe = (
        "import sys\nfrom oidcify.cli import main\n"
        f"code = main(['batch', {str(repo)!r}, '--role-arn', {ROLE!r}, '-q'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'ruamel', 'rich', 'copier'})\n"
        "print('HEAVY', heavy, code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "HEAVY [] 0" in done.stderr
    assert "+          role-to-assume: arn:aws:iam::123456789012:role/gha-deploy" in done.stdout


def test_trust_out_per_account(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    one = make_repo(tmp_path / "one", {"deploy.yml": STATIC}, "https://github.com/octo/one.git")
    two = make_repo(tmp_path / "two", {"deploy.yml": STATIC}, "https://github.com/octo/two.git")
    csv = tmp_path / "roles.csv"
    csv.write_text(
        "repo,role_arn\n"
        "octo/one,arn:aws:iam::111111111111:role/gha-one\n"
        "octo/two,arn:aws:iam::222222222222:role/gha-two\n"
    )
    single = tmp_path / "trust.auto.tfvars.json"
    code, _, err = batch(
        capsys, str(one), str(two), "--roles-csv", str(csv), "--trust-out", str(single)
    )
    assert code == ExitCode.INPUT and "put {account} in the file name" in err
    assert not single.exists()
    per_account = str(tmp_path / "{account}" / "trust.auto.tfvars.json")
    report = tmp_path / "report.json"
    args = ("--roles-csv", str(csv), "--trust-out", per_account, "--report", str(report))
    code, _, err = batch(capsys, str(one), str(two), *args)
    assert code == ExitCode.OK, err
    written = json.loads((tmp_path / "222222222222" / "trust.auto.tfvars.json").read_text())
    assert written == {
        "batch_roles": {"gha-two": {"subjects": ["repo:octo/two:ref:refs/heads/main"]}}
    }
    assert json.loads(report.read_text())["exit_code"] == 0


# Every trigger, and jobs whose if: keeps one event each (the QA repro of a too-wide role).
KEYS = (
    "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n"
    "          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
    "          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
    "          aws-region: eu-west-1\n"
)
NARROWED = (
    "on:\n  push:\n    branches: ['release/**', main]\n    tags: ['v*']\n  pull_request:\n"
    "  schedule:\n    - cron: '0 0 * * *'\n  workflow_dispatch:\njobs:\n"
    f"  c:\n    if: github.event_name == 'pull_request'\n    runs-on: x\n    steps:\n{KEYS}"
    f"  t:\n    if: startsWith(github.ref, 'refs/tags/v')\n    runs-on: x\n    steps:\n{KEYS}"
)


def test_trust_out_admits_only_the_runs_each_job_if_allows(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    app = make_repo(tmp_path / "app", {"d.yml": NARROWED}, "https://github.com/Octo/App.git")
    out = tmp_path / "trust.json"
    code, _, err = batch(capsys, str(app), "--role-arn", ROLE, "--trust-out", str(out))
    assert code == ExitCode.OK, err
    (role,) = json.loads(out.read_text())["roles"]
    # pull requests for c; tags for t: v* from push, and any tag from workflow_dispatch, whose
    # ref GitHub does not filter (the if: only narrows it to refs/tags/v*, which IAM cannot say)
    assert role["subjects"] == [
        "repo:Octo/App:pull_request",
        "repo:Octo/App:ref:refs/tags/*",
        "repo:Octo/App:ref:refs/tags/v*",
    ]


def test_trust_out_counts_full_callers_of_this_repository_only(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    case = FIXTURES / "claims-full-form-callers-and-expression-environment" / "input"
    files: dict[str, str | bytes] = {p.name: p.read_bytes() for p in sorted(case.iterdir())}
    app = make_repo(tmp_path / "app", files, "https://github.com/octo-org/app.git")
    out = tmp_path / "trust.json"
    code, _, err = batch(capsys, str(app), "--role-arn", ROLE, "--trust-out", str(out))
    assert code == ExitCode.OK, err
    (role,) = json.loads(out.read_text())["roles"]
    # tags.yml calls this repository's deploy.yml in full; other.yml (dev) another repository's
    # (environment:*, a guess, is left out for a person to write)
    assert role["subjects"] == [
        "repo:octo-org/app:ref:refs/heads/main",
        "repo:octo-org/app:ref:refs/tags/v*",
    ]


def test_commit_leaves_a_dirty_repository_with_nothing_to_change_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calm = make_repo(tmp_path / "calm", {"oidc.yml": OIDC}, "git@github.com:octo/calm.git")
    (calm / "notes.md").write_text("work in progress\n")
    git(calm, "add", "notes.md")
    args = ("--write", "--commit", "--branch", "oidc", "--role-arn", ROLE)
    code, _, err = batch(capsys, str(calm), *args)
    assert code == ExitCode.OK, err
    assert "1 unchanged" in err and git(calm, "branch", "--list", "oidc") == ""


ENVIRONMENTS = (
    "on:\n  push:\n    branches: [main]\njobs:\n"
    "  dev:\n    runs-on: x\n    environment: development\n    steps:\n"
    + KEYS.replace("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID_DEV")
    + "  prod:\n    runs-on: x\n    environment: production\n    steps:\n"
    + KEYS
)


def test_expression_role_names_the_variable_and_needs_a_name_for_trust(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys
) -> None:
    app = make_repo(tmp_path / "app", {"d.yml": STATIC}, "https://github.com/octo/app.git")
    report, trust = tmp_path / "report.json", tmp_path / "trust.auto.tfvars.json"
    expression = "${{ vars.AWS_ROLE_ARN }}"
    code, _, err = batch(capsys, str(app), "--role-arn", expression, "--trust-out", str(trust))
    assert code == ExitCode.INPUT
    assert f"--role-name: --role-arn {expression} names no role; pass --role-name" in err
    code, out, err = batch(
        capsys, str(app), "--role-arn", expression, "--role-name", "gha-{repo}",
        "--trust-out", str(trust), "--report", str(report),
    )  # fmt: skip
    assert code == ExitCode.OK, err
    assert f"+          role-to-assume: {expression}" in out
    (found,) = json.loads(report.read_text())["repositories"]
    assert found["define"] == ["define the Actions variable AWS_ROLE_ARN (the role ARN)"]
    assert json.loads(trust.read_text()) == {
        "batch_roles": {"gha-app": {"subjects": ["repo:octo/app:ref:refs/heads/main"]}}
    }


def test_bad_expression_is_refused_with_its_braces(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    app = make_repo(tmp_path / "app", {"d.yml": STATIC})
    code, _, err = batch(capsys, str(app), "--role-arn", "${{ vars.A || vars.B }}")
    assert code == ExitCode.INPUT
    assert err.strip().endswith(
        "--role-arn: '${{ vars.A || vars.B }}' is not a role; allowed: an IAM role ARN or one "
        "of ${{ vars.NAME }}, ${{ secrets.NAME }}, ${{ inputs.NAME }}, "
        "${{ needs.JOB.outputs.NAME }}"
    )


def test_roles_csv_selector_rows_give_each_environment_its_role(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys
) -> None:
    app = make_repo(tmp_path / "app", {"d.yml": ENVIRONMENTS}, "https://github.com/octo/app.git")
    csv = tmp_path / "roles.csv"
    csv.write_text(
        "repo,selector,role_arn\n"
        "octo/app,,arn:aws:iam::111111111111:role/gha-prod\n"
        "octo/app,environment:development,arn:aws:iam::111111111111:role/gha-dev\n"
    )
    trust = tmp_path / "trust.json"
    code, out, err = batch(capsys, str(app), "--roles-csv", str(csv), "--trust-out", str(trust))
    assert code == ExitCode.OK, err
    assert "role-to-assume: arn:aws:iam::111111111111:role/gha-dev" in out
    assert "role-to-assume: arn:aws:iam::111111111111:role/gha-prod" in out
    roles = {r["name"]: r["subjects"] for r in json.loads(trust.read_text())["roles"]}
    assert roles == {
        "gha-dev": ["repo:octo/app:environment:development"],
        "gha-prod": ["repo:octo/app:environment:production"],
    }


def test_role_for_flag_applies_to_every_repository(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    app = make_repo(tmp_path / "app", {"d.yml": ENVIRONMENTS})
    dev = "arn:aws:iam::111111111111:role/gha-dev"
    code, out, _ = batch(
        capsys, str(app), "--role-arn", ROLE, "--role-for", f"secret:aws_access_key_id_dev={dev}"
    )
    assert code == ExitCode.OK
    assert f"role-to-assume: {dev}" in out and f"role-to-assume: {ROLE}" in out
    code, _, err = batch(capsys, str(app), "--role-arn", ROLE, "--role-for", f"branch:main={dev}")
    assert code == ExitCode.INPUT
    assert "--role-for: 'branch:main' is not a selector; allowed: environment:NAME" in err
