"""Independent checks of the retrofit's fidelity properties, shared by the corpus and the
hypothesis tests. They use a plain ruamel.yaml load (not the code under test) and look only at
the inputs and outputs."""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROLE = "arn:aws:iam::123456789012:role/gha-deploy"
CAC = "aws-actions/configure-aws-credentials"
KEY_INPUTS = ("aws-access-key-id", "aws-secret-access-key", "aws-session-token")
KEY_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
KEY_NAME = re.compile(r"AWS|ACCESS|SECRET|SESSION|KEY", re.IGNORECASE)

# A removed line must be one of the things the fixes remove ...
REMOVABLE = re.compile(
    r"^\s*(?:-\s*)?[\"']?(?:"
    r"aws-access-key-id|aws-secret-access-key|aws-session-token|username|password|"
    r"AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|env|secrets|permissions|"
    r"id-token|required|description|uses|with|\w*(?:AWS|KEY|SECRET|TOKEN)\w*"
    r")[\"']?\s*:.*$|^\s*$"
)
# ... and an added line one of the things they add (plus blank lines and a lone dash).
ADDABLE = re.compile(
    r"^\s*(?:-\s*)?[\"']?(?:"
    r"role-to-assume: .*|aws-region: .*|name: Configure AWS credentials|"
    rf"uses: '?{CAC}@[0-9a-f]{{40}}'? +# v\d+\.\d+\.\d+|with:|permissions:|id-token: write|"
    r"[a-z-]+: (?:read|write|none)|role-chaining: true|"
    r"with: \{ ?role-to-assume: .*\}|permissions: \{.*id-token: write.*\}"
    r")\s*(?:#.*)?$|^\s*-?\s*$"
)


def load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def line_problems(before: str, after: str) -> list[str]:
    """Lines the retrofit changed that no fix could have changed, and lost byte conventions."""
    problems = []
    if before.startswith("\ufeff") != after.startswith("\ufeff"):
        problems.append("BOM changed")
    if before.endswith("\n") != after.endswith("\n"):
        problems.append("final newline changed")
    if ("\r\n" in before) and after.count("\n") != after.count("\r\n"):
        problems.append("a line lost its CRLF ending")
    a, b = before.split("\n"), after.split("\n")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            problems += [
                f"removed: {line!r}" for line in a[i1:i2] if not REMOVABLE.match(line.rstrip("\r"))
            ]
        if op in ("insert", "replace"):
            problems += [
                f"added: {line!r}" for line in b[j1:j2] if not ADDABLE.match(line.rstrip("\r"))
            ]
    return problems


def _is_cac(step: Any) -> bool:
    return isinstance(step, dict) and str(step.get("uses", "")).lower().startswith(CAC)


def _strip_keys(mapping: Any, names: tuple[str, ...]) -> None:
    if isinstance(mapping, dict):
        for name in names:
            mapping.pop(name, None)


def is_inserted_step(step: Any) -> bool:
    """The shape of the configure step the retrofit inserts (name, pinned uses, role, region)."""
    return (
        _is_cac(step)
        and set(step) == {"name", "uses", "with"}
        and step["name"] == "Configure AWS credentials"
        and re.fullmatch(rf"{CAC}@[0-9a-f]{{40}}", step["uses"]) is not None
        and isinstance(step["with"], dict)
        and set(step["with"]) == {"role-to-assume", "aws-region"}
        and step["with"]["role-to-assume"] == ROLE
    )


def _drop_inserted(before: list[Any], after: list[Any]) -> list[Any]:
    """``after`` without the steps the retrofit inserted: aligns it with ``before`` (whose
    steps must all be there, in order) and drops unmatched steps of the inserted shape."""
    kept, i = [], 0
    for step in after:
        if i < len(before) and _normal_step(step) == _normal_step(before[i]):
            kept.append(step)
            i += 1
        elif not is_inserted_step(step):
            kept.append(step)
    return kept


def _normal_step(step: Any) -> Any:
    step = copy.deepcopy(step)
    if isinstance(step, dict):
        _normalise_step(step)
    return step


def _normalise_step(step: dict[str, Any]) -> None:
    _strip_keys(step.get("env"), KEY_ENV)
    if step.get("env") == {}:
        del step["env"]
    with_ = step.get("with")
    if _is_cac(step):
        step.pop("uses")
        _strip_keys(with_, (*KEY_INPUTS, "role-chaining"))
        if isinstance(with_, dict) and with_.get("role-to-assume") == ROLE:
            del with_["role-to-assume"]
        _strip_keys(with_, ("aws-region",))
    elif "login-action" in str(step.get("uses", "")):
        _strip_keys(with_, ("username", "password"))


def _normalise_job(job: Any, before_steps: list[Any] | None) -> None:
    if not isinstance(job, dict):
        return
    job.pop("permissions", None)
    _strip_keys(job.get("env"), KEY_ENV)
    if job.get("env") == {}:
        del job["env"]
    if isinstance(job.get("secrets"), dict):
        job["secrets"] = {k: v for k, v in job["secrets"].items() if not KEY_NAME.search(k)}
        if not job["secrets"]:
            del job["secrets"]
    steps = job.get("steps") if isinstance(job.get("steps"), list) else []
    if before_steps is not None:
        steps[:] = _drop_inserted(before_steps, steps)
    for step in steps:
        if isinstance(step, dict):
            _normalise_step(step)


def normalise(data: Any, *, before: Any = None) -> Any:
    """The data with every part a fix may change taken out: what must stay equal. Pass the
    original as ``before`` when ``data`` is the retrofit's output (to align inserted steps)."""
    data = copy.deepcopy(data)
    if not isinstance(data, dict):
        return data
    data.pop("permissions", None)
    _strip_keys(data.get("env"), KEY_ENV)
    if data.get("env") == {}:
        del data["env"]
    on = data.get("on", data.get(True))
    call = on.get("workflow_call") if isinstance(on, dict) else None
    if isinstance(call, dict) and isinstance(call.get("secrets"), dict):
        call["secrets"] = {k: v for k, v in call["secrets"].items() if not KEY_NAME.search(k)}
        if not call["secrets"]:
            del call["secrets"]
    if isinstance(on, dict) and call == {}:
        on["workflow_call"] = None
    old_jobs = (before.get("jobs") or {}) if isinstance(before, dict) else {}
    for name, job in (data.get("jobs") or {}).items():
        old_steps = (old_jobs.get(name) or {}).get("steps") if before is not None else None
        _normalise_job(job, old_steps if isinstance(old_steps, list) else None)
    return data


# GitHub's documented GITHUB_TOKEN scopes (read-all grants read on each; id-token has no read).
READ_SCOPES = (
    "actions",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "issues",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
)
READ_ALL = dict.fromkeys(READ_SCOPES, "read")


def _compare(old: Any, new: Any, where: str) -> list[str]:
    if new in (old, "write-all"):
        return []
    old = READ_ALL if old == "read-all" else old
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [f"{where}: {old!r} -> {new!r}"]
    problems = [
        f"{where}: {scope} {old.get(scope)} -> {new.get(scope)}"
        for scope in {**old, **new}
        if scope != "id-token" and old.get(scope, "none") != new.get(scope, "none")
    ]
    if new.get("id-token") != "write":
        problems.append(f"{where}: id-token is {new.get('id-token')}")
    return problems


def permission_problems(before: Any, after: Any) -> list[str]:
    """Permissions may only gain id-token: write. A new job block starts from what the job had:
    the workflow's block, or (repository default) the safe minimum contents: read."""
    workflow = before.get("permissions")
    problems = _compare(workflow, after.get("permissions"), "workflow")
    for name, job in (after.get("jobs") or {}).items():
        old = ((before.get("jobs") or {}).get(name) or {}).get("permissions")
        new = job.get("permissions")
        if old is None and new is not None:
            old = workflow if workflow is not None else {"contents": "read"}
        problems += _compare(old, new, f"job {name}")
    return problems


def key_usages(data: Any) -> list[str]:
    """Static keys from secrets still given to configure-aws-credentials or in AWS env."""
    found = []

    def env_keys(env: Any, where: str) -> None:
        if isinstance(env, dict):
            found.extend(f"{where} env {k}" for k in KEY_ENV if "secrets" in str(env.get(k, "")))

    env_keys(data.get("env"), "workflow")
    for name, job in (data.get("jobs") or {}).items():
        if not isinstance(job, dict):
            continue
        env_keys(job.get("env"), f"job {name}")
        for i, step in enumerate(job.get("steps") or []):
            if not isinstance(step, dict):
                continue
            env_keys(step.get("env"), f"job {name} step {i}")
            with_ = step.get("with") if _is_cac(step) else None
            if isinstance(with_, dict):
                found += [
                    f"job {name} step {i} {k}"
                    for k in KEY_INPUTS
                    if "secrets" in str(with_.get(k, ""))
                ]
    return found


def actionlint_binary() -> str:
    for candidate in (
        os.environ.get("ACTIONLINT"),
        shutil.which("actionlint"),
        str(Path(sys.executable).with_name("actionlint")),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip("actionlint not found ($ACTIONLINT, PATH, or next to python)")


def actionlint(paths: list[Path]) -> list[tuple[str, str, str]]:
    """(file name, kind, message) for every finding, from one actionlint process."""
    if not paths:
        return []
    out = subprocess.run(
        [actionlint_binary(), "-format", "{{json .}}", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode not in (0, 1):
        raise AssertionError(f"actionlint failed: {out.stderr}")
    return [(Path(f["filepath"]).name, f["kind"], f["message"]) for f in json.loads(out.stdout)]


def zizmor(folder: Path) -> set[tuple[str, str]]:
    """(file name, audit) for every zizmor finding under ``folder``, from one process."""
    binary = shutil.which("zizmor") or str(Path(sys.executable).with_name("zizmor"))
    if not Path(binary).is_file():
        pytest.skip("zizmor not found (PATH, or next to python)")
    out = subprocess.run(
        [binary, "--offline", "--persona=auditor", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if not out.stdout.strip():
        raise AssertionError(f"zizmor failed: {out.stderr}")
    findings = json.loads(out.stdout)
    return {
        (Path(loc["symbolic"]["key"]["Local"]["verbatim_path"]).name, f["ident"])
        for f in findings
        for loc in f["locations"][:1]
    }
