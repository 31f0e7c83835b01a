"""`pip install oidcify` then `oidcify new`: the wheel carries the template, renders it offline,
and records a source that `copier update` reaches later (the canonical git URL, here served by
a local bare repository through git's `url.<base>.insteadOf`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import template_versions as tv
from cases import BASE, REPO
from oidcify import __version__, template_location

pytestmark = pytest.mark.slow  # builds a wheel and a virtualenv, runs every gate
NEXT = "v999.0.0"  # a later release of the template


def _run(
    argv: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{argv}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(REPO), "-w", out])
    (built,) = out.glob("oidcify-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv outside the checkout with the wheel and the linters it names."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", venv])
    _run([venv / "bin" / "python", "-m", "pip", "install", "-q", f"{wheel}[actionlint,zizmor]"])
    return venv / "bin"


def test_the_wheel_carries_the_template_as_laid_out_in_the_repository(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    prefix = "oidcify/bundled_template/"
    expected = {"copier.yml"} | {
        str(path.relative_to(REPO))
        for folder in (REPO / "template", REPO / "src" / "oidcify" / "data")
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert {prefix + name for name in expected} <= names


def _canonical_repo(root: Path) -> Path:
    """The template's repository as the canonical URL serves it: this release and a later one."""
    work = root / "work"
    work.mkdir()
    shutil.copy(REPO / "copier.yml", work)
    shutil.copytree(REPO / "template", work / "template")
    shutil.copytree(REPO / "src" / "oidcify" / "data", work / "src" / "oidcify" / "data")
    tv.git(work, "init", "-q")
    tv.commit_all(work, "this release")
    tv.git(work, "tag", f"v{__version__}")
    tv.make_v2(work)
    tv.commit_all(work, "a later release")
    tv.git(work, "tag", NEXT)
    tv.git(root, "clone", "-q", "--bare", str(work), "canonical.git")
    return root / "canonical.git"


def test_new_from_the_wheel_then_update_from_the_canonical_url(
    installed: Path, tmp_path: Path, terraform_bin: Path
) -> None:
    url = template_location.canonical_url()
    assert url is not None
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("OIDCIFY_TEMPLATE", "VIRTUAL_ENV", "PYTHONPATH")
    }
    env["PATH"] = os.pathsep.join([str(installed), str(terraform_bin.parent), "/usr/bin", "/bin"])
    work = tmp_path / "elsewhere"
    work.mkdir()
    data = [flag for name, value in BASE.items() for flag in ("-d", f"{name}={value}")]

    done = _run([installed / "oidcify", "new", "app", "--defaults", *data], cwd=work, env=env)
    out = done.stdout
    for gate in ("actionlint", "zizmor", "terraform"):
        assert f"PASS  {gate}" in out, out
    project = work / "app"
    recorded = tv.answers(project)
    assert recorded["_src_path"] == url and recorded["_commit"] == f"v{__version__}"
    assert "site-packages" not in (project / ".copier-answers.yml").read_text()

    canonical = _canonical_repo(tmp_path)
    env |= {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{canonical}.insteadOf",
        "GIT_CONFIG_VALUE_0": url,
    }
    tv.git(project, "init", "-q")
    tv.commit_all(project, "bootstrap")
    update = [installed / "oidcify", "update", "--defaults", "--no-gates"]
    done = _run(update, cwd=project, env=env)
    assert done.stdout.splitlines()[0] == f"updated . from v{__version__} to {NEXT} of {url}"
    assert tv.answers(project)["_commit"] == NEXT
    workflow = (project / tv.WORKFLOW).read_text()
    assert tv.V2_CHECKOUT.commit in workflow
