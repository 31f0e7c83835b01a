from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import template_versions
from cases import BASE, REPO, Case, case_answers, render
from oidcify import gates, terraform, tools
from oidcify.errors import ToolError

pytest_plugins = ["aws_local"]  # moto_server fixtures for the audit's tests


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """The answer matrix, each case rendered once per session."""
    root = tmp_path_factory.mktemp("cases")
    rendered = {}
    for name, answers in case_answers().items():
        render(answers, root / name)
        rendered[name] = Case(name, root / name)
    return rendered


@pytest.fixture(scope="session")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template outside git, for tests about answers rather than about where the template
    comes from: Copier then renders it in place instead of cloning the repository each time."""
    root = tmp_path_factory.mktemp("template")
    shutil.copy(REPO / "copier.yml", root)
    shutil.copytree(REPO / "template", root / "template")
    shutil.copytree(REPO / "src" / "oidcify" / "data", root / "src" / "oidcify" / "data")
    return root


@pytest.fixture(scope="session")
def template_repo(plain_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of the template with the release tags v1 and v2 (template_versions.py)."""
    root = tmp_path_factory.mktemp("releases") / "template"
    return template_versions.template_repo(plain_template, root)


@pytest.fixture(scope="session")
def v1_project(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BASE's answers copied at v1 and committed, rendered once: tests update copies of it."""
    return template_versions.bootstrapped(
        template_repo, tmp_path_factory.mktemp("v1") / "project", BASE, "v1"
    )


@pytest.fixture
def project(v1_project: Path, tmp_path: Path) -> Path:
    """A private copy of ``v1_project`` (with its git history) to edit and update."""
    copy = tmp_path / "project"
    shutil.copytree(v1_project, copy, symlinks=True)
    return copy


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> template_versions.Prompts:
    """Copier's prompt, replaced: records the questions an update asks, answers defaults."""
    recorder = template_versions.Prompts()
    monkeypatch.setattr("copier._main.unsafe_prompt", recorder)
    return recorder


def _tool(tool: tools.Tool) -> Path:
    try:
        return tools.find(tool)
    except ToolError as err:
        pytest.skip(f"{tool.name} is not installed: {err}")


@pytest.fixture(scope="session")
def actionlint_bin() -> Path:
    return _tool(tools.ACTIONLINT)


@pytest.fixture(scope="session")
def zizmor_bin() -> Path:
    return _tool(tools.ZIZMOR)


@pytest.fixture(scope="session")
def terraform_bin() -> Path:
    return _tool(tools.TERRAFORM)


@pytest.fixture(scope="session")
def terraform_result(
    cases: dict[str, Case], terraform_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[gates.GateResult, dict[str, Path]]:
    """The terraform gate over every distinct rendered configuration, and each case's config."""
    first: dict[str, Path] = {}
    config_of = {}
    for name, case in cases.items():
        config_of[name] = first.setdefault(case.terraform_digest(), case.terraform_dir)
    scratch = tmp_path_factory.mktemp("terraform")
    result = gates.terraform_gate(
        terraform_bin, list(first.values()), scratch, plugins=terraform.plugin_dir()
    )
    return result, config_of


@pytest.fixture(scope="session")
def plans(terraform_result: tuple[gates.GateResult, dict[str, Path]]) -> dict[str, dict]:
    """Each case's plan as JSON; fails every test that needs one if the gate failed."""
    result, config_of = terraform_result
    if not result.passed:
        pytest.fail(f"terraform gate {result.status}: {result.summary}\n{result.details}")
    return {name: result.plans[config] for name, config in config_of.items()}


@pytest.fixture(autouse=True)
def _no_template_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose the template explicitly; the developer's $OIDCIFY_TEMPLATE must not."""
    monkeypatch.delenv("OIDCIFY_TEMPLATE", raising=False)
