"""Trust coverage from Terraform (``--terraform DIR``), with terraform's offline plan and with the
python-hcl2 fallback, which must agree (fixtures/check/trust-terraform/<case>/: workflows,
``terraform/`` and a ``case.json`` as in the trust fixtures). A case whose ``case.json`` has
``render`` answers gets its ``terraform/`` from the template rendered now with those answers,
with the case's own files (such as a ``batch.auto.tfvars.json``) laid over it, so the fallback
is always tested against the Terraform the template currently generates (or, with ``release``,
generated in that release, as repos that never updated still have it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cases import render, render_release
from check_helpers import assert_case, run_check
from oidcify import tools
from oidcify.check.policies import TrustPolicy
from oidcify.check.terraform import folder, hcl_policies, offline_plan
from oidcify.errors import InputError, ToolError

FIXTURES = Path(__file__).parent / "fixtures" / "check" / "trust-terraform"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
TERRAFORM = shutil.which("terraform")
needs_terraform = pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")


_PLANS: dict[Path, dict[str, Any]] = {}
_REAL_PLAN = offline_plan.plan_json


def _plan(terraform: Path, config: Path) -> dict[str, Any]:
    """One real offline plan per configuration for the whole session (each takes seconds)."""
    if config.resolve() not in _PLANS:
        _PLANS[config.resolve()] = _REAL_PLAN(terraform, config)
    return _PLANS[config.resolve()]


@pytest.fixture(scope="session")
def case_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("trust-terraform")
    found = {}
    for name in CASES:
        meta = json.loads((FIXTURES / name / "case.json").read_text(encoding="utf-8"))
        if "render" not in meta:
            found[name] = FIXTURES / name
            continue
        case = root / name
        shutil.copytree(FIXTURES / name, case)
        if "release" in meta:  # a repo bootstrapped then and never updated
            render_release(meta["render"], root / f"{name}-rendered", meta["release"])
        else:
            render(meta["render"], root / f"{name}-rendered")
        config = case / meta["terraform"]
        config.mkdir(exist_ok=True)
        for path in (root / f"{name}-rendered" / "infra" / "github-oidc").iterdir():
            if not (config / path.name).exists():
                shutil.copy(path, config / path.name)
        found[name] = case
    return found


def _without_terraform(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(tool: tools.Tool, explicit: str | None = None) -> Path:
        raise ToolError("not installed", field=tool.name)

    monkeypatch.setattr(tools, "find", missing)


def _check_case(case: Path) -> None:
    meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
    report = run_check(case, cwd=case, terraform=str(case / meta["terraform"]), **meta["options"])
    assert_case(case, meta, report)


@pytest.mark.slow
@needs_terraform
@pytest.mark.parametrize("name", CASES)
def test_case_with_a_terraform_plan(
    name: str, case_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(offline_plan, "plan_json", _plan)
    _check_case(case_dirs[name])


@pytest.mark.parametrize("name", CASES)
def test_case_read_with_python_hcl2(
    name: str, case_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_terraform(monkeypatch)
    _check_case(case_dirs[name])


def _shape(policy: TrustPolicy) -> list[Any]:
    return [
        (s.sid, s.effect, s.principals, s.actions,
         sorted((c.operator.name, c.key, tuple(sorted(c.values))) for c in s.conditions))
        for s in policy.policy.statements
    ]  # fmt: skip


@pytest.mark.slow
@needs_terraform
@pytest.mark.parametrize("name", CASES)
def test_python_hcl2_reads_the_policy_the_plan_shows(name: str, case_dirs: dict[str, Path]) -> None:
    assert TERRAFORM is not None
    config = case_dirs[name] / "terraform"
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in folder._files(config)]
    planned = sorted(folder.from_plan(_plan(Path(TERRAFORM), config), texts),
                     key=lambda p: p.label)  # fmt: skip
    read = sorted(hcl_policies.policies(config, texts), key=lambda p: p.label)
    assert [_shape(p) for p in read] == [_shape(p) for p in planned]
    assert [(p.label, p.role_arn) for p in read] == [(p.label, p.role_arn) for p in planned]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('assume_role_policy = jsonencode({Version = "2012-10-17"})', "cannot evaluate"),
        ("assume_role_policy = data.aws_iam_policy_document.nowhere.json", "cannot evaluate"),
        ('assume_role_policy = "${var.undefined}"', "var.undefined"),
        (
            "for_each = var.roles\n"
            "  assume_role_policy = data.aws_iam_policy_document.t[each.key].json",
            "for_each = ${var.roles}",
        ),
        ('assume_role_policy = data.aws_iam_policy_document.t["x"].json', "cannot evaluate"),
    ],
)
def test_python_hcl2_refuses_what_it_cannot_evaluate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    _without_terraform(monkeypatch)
    (tmp_path / "main.tf").write_text(f'resource "aws_iam_role" "r" {{\n  {body}\n}}\n',
                                      encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as err:
        folder.load(tmp_path, tmp_path)
    assert message in str(err.value) and "install terraform" in str(err.value)


def test_heredoc_policy_and_conflict_markers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_terraform(monkeypatch)
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
           "Principal": {"Service": "ec2.amazonaws.com"}}]}  # fmt: skip
    (tmp_path / "main.tf").write_text(
        f'resource "aws_iam_role" "r" {{\n  name = "r"\n  assume_role_policy = <<EOT\n'
        f"{json.dumps(doc)}\nEOT\n}}\n", encoding="utf-8")  # fmt: skip
    (policy,) = folder.load(tmp_path, tmp_path)[0]
    assert policy.label == "role r" and policy.policy.statements[0].effect == "Allow"
    (tmp_path / "main.tf").write_text("<<<<<<< before updating\n=======\n>>>>>>> after\n")
    assert folder.load(tmp_path, tmp_path) == ([], [tmp_path / "main.tf"])
