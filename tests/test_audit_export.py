"""Reading exports: get-account-authorization-details files and folders, get-role output,
URL-encoded policies; bad input is one line naming the file, exit code 2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from audit_helpers import ACCOUNT, audit, audit_json, detail, github_trust, tight, write_export

BROAD = github_trust(("StringLike", "sub", "repo:*"))


def test_a_folder_is_its_json_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_export(tmp_path / "a.json", [detail("one", tight())])
    write_export(tmp_path / "b.json", [detail("two", BROAD, account="444455556666")])
    (tmp_path / "notes.txt").write_text("not an export")
    code, data = audit_json(capsys, "--from", str(tmp_path))
    assert code == 1
    assert data["accounts"] == [ACCOUNT, "444455556666"]
    assert [f["role"] for f in data["findings"] if f["rule"] == "OC203"] == [
        "arn:aws:iam::444455556666:role/two"
    ]


def test_get_role_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "role.json"
    path.write_text(json.dumps({"Role": detail("single", BROAD)}))
    code, data = audit_json(capsys, "--from", str(path))
    assert (code, data["roles"], data["github_roles"]) == (1, 1, 1)


def test_url_encoded_trust_policy_is_decoded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    encoded = quote(json.dumps(BROAD), safe="")
    assert encoded.startswith("%7B")
    export = write_export(tmp_path / "a.json", [detail("encoded", encoded)])
    code, data = audit_json(capsys, "--from", str(export))
    assert code == 1
    assert {f["rule"] for f in data["findings"]} >= {"OC203"}


def test_providers_list_is_merged_with_its_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_export(tmp_path / "roles.json", [detail("one", tight())])
    providers = [
        {"Arn": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"}
    ]
    (tmp_path / "providers.json").write_text(json.dumps({"OpenIDConnectProviderList": providers}))
    code, data = audit_json(capsys, "--from", str(tmp_path))
    assert (code, data["accounts"], data["findings"]) == (0, [ACCOUNT], [])


def _bad(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    code, out, err = audit(capsys, "--from", str(path))
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert str(path) in lines[0]
    return lines[0]


def test_truncated_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = write_export(tmp_path / "a.json", [detail("one", tight())]).read_text()
    path = tmp_path / "a.json"
    path.write_text(full[: len(full) // 2])
    assert "not valid JSON at line" in _bad(capsys, path)


def test_missing_role_detail_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"UserDetailList": [], "Policies": []}))
    assert "RoleDetailList" in _bad(capsys, path)


def test_role_without_trust_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    role = detail("bare", tight())
    del role["AssumeRolePolicyDocument"]
    path = write_export(tmp_path / "a.json", [detail("fine", tight()), role])
    line = _bad(capsys, path)
    assert "RoleDetailList[1] (bare)" in line and "AssumeRolePolicyDocument" in line


def test_policy_string_that_is_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_export(tmp_path / "a.json", [detail("odd", "%7B%22Version")])
    assert "not a JSON policy document" in _bad(capsys, path)


@pytest.mark.parametrize("body", ["[]", '"text"', '{"RoleDetailList": {}}'])
def test_wrong_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(body)
    _bad(capsys, path)


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"RoleDetailList": ["\xff"]}')
    assert "UTF-8" in _bad(capsys, path)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _bad(capsys, tmp_path / "nope.json")


def test_unreadable_policy_is_a_note_not_an_abort(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = github_trust(("StringLike", "sub", "repo:*"))
    odd["Statement"][0]["Effect"] = "Perhaps"
    path = write_export(tmp_path / "a.json", [detail("odd", odd), detail("wide", BROAD)])
    code, out, err = audit(capsys, "--from", str(path), "--format", "json")
    assert code == 1
    assert "role/odd at Statement[0].Effect: " in err and "not judged" in err
    assert {f["role"] for f in json.loads(out)["findings"]} == {f"arn:aws:iam::{ACCOUNT}:role/wide"}


def test_an_export_audit_never_imports_boto3(tmp_path: Path) -> None:
    path = write_export(tmp_path / "a.json", [detail("wide", BROAD)])
    probe = (
        "import sys\nfrom oidcify.cli import main\n"
        f"code = main(['audit', '--from', {str(path)!r}, '-o', {str(tmp_path / 'out')!r}])\n"
        "print(code, 'boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "False", "False"]
