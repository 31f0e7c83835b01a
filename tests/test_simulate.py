"""``oidcify simulate``: output, exit codes and bad input (one line, exit 2, no traceback)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from oidcify import cli
from oidcify.errors import ExitCode

PROVIDER = "arn:aws:iam::012345678901:oidc-provider/token.actions.githubusercontent.com"
HOST = "token.actions.githubusercontent.com"
MAIN = "repo:octo-org/app:ref:refs/heads/main"


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(sub: str | list[str] = MAIN, principal: Any = None) -> dict[str, Any]:
    return {
        "Sid": "GitHubDeploy",
        "Effect": "Allow",
        "Principal": principal or {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {f"{HOST}:aud": "sts.amazonaws.com", f"{HOST}:sub": sub}},
    }


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(_allow())), encoding="utf-8")
    return path


def simulate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["simulate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_allow_exits_0_and_names_the_statement(
    trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = simulate(capsys, "--trust-policy", str(trust), "--repo", "octo-org/app",
                            "--ref", "refs/heads/main")  # fmt: skip
    assert code == ExitCode.OK
    lines = out.splitlines()
    assert lines[0] == "ALLOW by GitHubDeploy"
    assert f"  token sub: {MAIN}" in lines
    assert f"  ok   sub {MAIN!r} matches {MAIN!r} (StringEquals)" in lines


def test_deny_exits_1_and_says_which_condition_failed(
    trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = simulate(capsys, "--trust-policy", str(trust), "--repo", "octo-org/app",
                            "--ref", "refs/heads/main", "--environment", "prod")  # fmt: skip
    assert code == ExitCode.FINDINGS
    assert out.startswith("DENY: no statement allows this request (implicit deny)\n")
    assert (
        "  FAIL sub 'repo:octo-org/app:environment:prod' does not match "
        "'repo:octo-org/app:ref:refs/heads/main' (StringEquals)"
    ) in out.splitlines()
    assert "GitHubDeploy (Allow): does not apply" in out


def test_explicit_deny(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deny = {**_allow(), "Sid": "NoMain", "Effect": "Deny"}
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(_allow(), deny)), encoding="utf-8")
    code, out, _ = simulate(capsys, "--trust-policy", str(path), "--claims", f"sub={MAIN}",
                            "aud=sts.amazonaws.com")  # fmt: skip
    assert code == ExitCode.FINDINGS
    assert out.splitlines()[0] == "DENY: explicit Deny in NoMain"


def test_json_output(trust: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = simulate(capsys, "--trust-policy", str(trust), "--format", "json",
                            "--claims", "sub=repo:octo-org/app:pull_request")  # fmt: skip
    assert code == ExitCode.FINDINGS
    report = json.loads(out)
    assert report["decision"] == "DENY"
    assert report["deciding_statement"] is None
    assert report["principal"] == PROVIDER
    assert report["claims"] == {"sub": "repo:octo-org/app:pull_request"}
    (statement,) = report["statements"]
    assert statement["statement"] == "GitHubDeploy"
    assert [(c["key"], c["held"]) for c in statement["conditions"]] == [
        (f"{HOST}:aud", False),
        (f"{HOST}:sub", False),
    ]
    assert statement["conditions"][0]["reason"] == "aud is absent; StringEquals needs it"


def test_token_json_from_file_and_stdin(
    trust: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = json.dumps({"sub": MAIN, "aud": "sts.amazonaws.com", "exp": 1700000000})
    path = tmp_path / "token.json"
    path.write_text(token, encoding="utf-8")
    assert simulate(capsys, "--trust-policy", str(trust), "--token-json", str(path))[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(trust.read_text(encoding="utf-8")))
    assert simulate(capsys, "--trust-policy", "-", "--token-json", str(path))[0] == 0


def test_immutable_subject_from_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(_allow("repo:octo-org@1/app@2:ref:refs/tags/v1"))))
    argv = ["--trust-policy", str(path), "--repo", "octo-org/app", "--ref", "refs/tags/v1",
            "--owner-id", "1", "--repo-id", "2"]  # fmt: skip
    assert simulate(capsys, *argv)[0] == ExitCode.OK
    code, out, _ = simulate(capsys, *argv, "--subject-format", "legacy")
    assert code == ExitCode.FINDINGS
    assert "token sub: repo:octo-org/app:ref:refs/tags/v1" in out


IMMUTABLE_TAG = "repo:octo-org@1/app@2:ref:refs/tags/v1"
LEGACY_TAG = "repo:octo-org/app:ref:refs/tags/v1"


@pytest.mark.parametrize(
    ("admitted", "code", "first_line"),
    [
        ([LEGACY_TAG, IMMUTABLE_TAG], ExitCode.OK,
         "ALLOW: both the legacy and the immutable sub are allowed"),
        ([LEGACY_TAG], ExitCode.FINDINGS, "DENY: the immutable sub is refused"),
        ([IMMUTABLE_TAG], ExitCode.FINDINGS, "DENY: the legacy sub is refused"),
        (["repo:octo-org/other:*"], ExitCode.FINDINGS,
         "DENY: the legacy and the immutable sub are both refused"),
    ],
)  # fmt: skip
def test_both_forms_must_be_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], admitted: list[str], code: int,
    first_line: str,
) -> None:  # fmt: skip
    statement = _allow(admitted)
    statement["Condition"]["StringLike"] = {f"{HOST}:sub": statement["Condition"]["StringEquals"]
                                            .pop(f"{HOST}:sub")}  # fmt: skip
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(statement)), encoding="utf-8")
    argv = ["--trust-policy", str(path), "--repo", "octo-org/app", "--ref", "refs/tags/v1",
            "--owner-id", "1", "--repo-id", "2", "--subject-format", "both"]  # fmt: skip
    got, out, _ = simulate(capsys, *argv)
    assert (got, out.splitlines()[0]) == (code, first_line)
    assert f"  token sub: {LEGACY_TAG}" in out and f"  token sub: {IMMUTABLE_TAG}" in out
    got, out, _ = simulate(capsys, *argv, "--format", "json")
    shown = json.loads(out)
    assert got == code and shown["allowed"] is (code == ExitCode.OK)
    assert shown["forms"]["legacy"]["claims"]["sub"] == LEGACY_TAG
    assert shown["forms"]["immutable"]["claims"]["sub"] == IMMUTABLE_TAG
    allowed = {form: verdict["allowed"] for form, verdict in shown["forms"].items()}
    assert allowed == {"legacy": LEGACY_TAG in admitted, "immutable": IMMUTABLE_TAG in admitted}
    assert shown["refused_forms"] == [form for form, ok in allowed.items() if not ok]


def test_audience_follows_the_providers_partition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    china = "arn:aws-cn:iam::012345678901:oidc-provider/token.actions.githubusercontent.com"
    statement = _allow(principal={"Federated": china})
    statement["Condition"]["StringEquals"][f"{HOST}:aud"] = "sts.amazonaws.com.cn"
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(statement)), encoding="utf-8")
    argv = ["--trust-policy", str(path), "--repo", "octo-org/app", "--ref", "refs/heads/main"]
    assert simulate(capsys, *argv)[0] == ExitCode.OK
    assert simulate(capsys, *argv, "--audience", "sts.amazonaws.com")[0] == ExitCode.FINDINGS


def test_provider_must_be_known(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(_allow(principal="*"))), encoding="utf-8")
    code, _, err = simulate(capsys, "--trust-policy", str(path), "--claims", f"sub={MAIN}")
    assert code == ExitCode.INPUT
    assert err.startswith("oidcify simulate: error: --provider-arn: cannot tell which OIDC")
    code, _, _ = simulate(capsys, "--trust-policy", str(path), "--provider-arn", PROVIDER,
                            "--claims", f"sub={MAIN}", "aud=sts.amazonaws.com")  # fmt: skip
    assert code == ExitCode.OK


BAD_POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "allow"}]}'
DUPLICATE = '{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": []}'


@pytest.mark.parametrize(
    ("policy", "argv", "message"),
    [
        (None, ["--repo", "octo-org/app", "--ref", "main"], "--ref: 'main' is not a full ref"),
        (None, ["--repo", "octo-org", "--ref", "refs/heads/main"], "--repo: 'octo-org' is not"),
        (None, ["--repo", "octo-org/app"], "error: --ref: a push run's sub names its ref"),
        (None, ["--repo", "octo-org/app", "--event", "release"], "--ref: a release run's sub"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--subject-format",
                "immutable"], "error: --subject-format: immutable needs --owner-id and --repo-id"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--subject-format",
                "both"], "error: --subject-format: both needs --owner-id and --repo-id"),
        (None, ["--claims", "sub=x", "--subject-format", "both"], "--subject-format: only applies"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--audience", ""],
         "error: --audience: cannot be empty"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--audience", " "],
         "error: --audience: cannot be empty"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--event", "bogus"],
         "error: --event: 'bogus' is not a GitHub workflow event; one of: branch_protection_rule"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--event", "pull-request"],
         "--event: 'pull-request' is not a GitHub workflow event; did you mean pull_request or"),
        (None, ["--token-json", "TRUST"], "error: --token-json: no sub or aud claim (this looks"),
        (None, ["--token-json", "TOKEN:{\"sub\": \"x\"}"], "error: --token-json: no aud claim:"),
        (None, ["--claims", "sub"], "--claims: 'sub' is not KEY=VALUE"),
        (None, ["--claims", "sub=x", "--ref", "refs/heads/main"], "--ref: only applies with"),
        (None, ["--claims", "sub=x", "--event", "push"], "--event: only applies with"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--owner-id", "1"],
         "--owner-id: give both"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--owner-id", "x",
                "--repo-id", "2"], "--owner-id: 'x' is not valid"),
        (None, ["--token-json", "/nonexistent/token.json"], "--token-json: cannot read"),
        (None, ["--repo", "octo-org/app", "--environment", ""],
         "error: --environment: an environment name cannot be empty"),
        (None, ["--repo", "octo-org/app", "--ref", "refs/heads/main", "--provider-arn", "nope"],
         "error: --provider-arn: 'nope' is not an OIDC provider ARN"),
        (None, ["--token-json", "TOKEN:" + '{"a":' * 5_000 + "1" + "}" * 5_000],
         "--token-json: JSON nested too deeply"),
        (BAD_POLICY, ["--claims", "sub=x"], "trust.json at Statement[0].Effect: 'allow'"),
        (DUPLICATE, ["--claims", "sub=x"], "trust.json: duplicate JSON key 'Version'"),
        ("{", ["--claims", "sub=x"], "trust.json: not valid JSON at line 1, column 2"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    policy: str | None,
    argv: list[str],
    message: str,
    trust: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if policy is not None:
        trust.write_text(policy, encoding="utf-8")
    if "--token-json" in argv and argv[-1] == "TRUST":  # a policy passed as the token
        argv = [*argv[:-1], str(trust)]
    elif "--token-json" in argv and argv[-1].startswith("TOKEN:"):
        token = trust.with_name("token.json")
        token.write_text(argv[-1].removeprefix("TOKEN:"), encoding="utf-8")
        argv = [*argv[:-1], str(token)]
    code, out, err = simulate(capsys, "--trust-policy", str(trust), *argv)
    assert code == ExitCode.INPUT
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("oidcify simulate: error: ")
    assert message in err


@pytest.mark.parametrize(
    ("event", "sub"),
    [("pull_request", "repo:octo-org/app:pull_request"), ("merge_group", MAIN),
     ("workflow_dispatch", MAIN), ("pull_request_target", MAIN)],
)  # fmt: skip
def test_every_workflow_event_is_accepted(
    event: str, sub: str, trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--trust-policy", str(trust), "--repo", "octo-org/app", "--format", "json",
            "--ref", "refs/heads/main", "--event", event]  # fmt: skip
    code, out, _ = simulate(capsys, *argv)
    assert code == (ExitCode.OK if sub == MAIN else ExitCode.FINDINGS)
    token = json.loads(out)["claims"]
    assert (token["event_name"], token["sub"]) == (event, sub)


def test_missing_policy_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = simulate(capsys, "--trust-policy", "/nonexistent/trust.json", "--claims", "a=b")
    assert code == ExitCode.INPUT
    assert err.startswith("oidcify simulate: error: --trust-policy: cannot read")


@pytest.mark.parametrize(
    "argv",
    [[], ["--claims", "sub=x", "--repo", "octo-org/app"], ["--format", "yaml", "--claims", "a=b"]],
)
def test_usage_errors_exit_2(trust: Path, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["simulate", "--trust-policy", str(trust), *argv])
    assert exc.value.code == ExitCode.INPUT


def test_no_traceback_from_the_console_script(trust: Path) -> None:
    trust.write_text(DUPLICATE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "oidcify", "simulate", "--trust-policy", str(trust),
         "--claims", "sub=x"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == ExitCode.INPUT
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1


ENTERPRISE = PROVIDER + "/octo-ent"
ENT_HOST = f"{HOST}/octo-ent"


def _enterprise(tmp_path: Path, operator: str, sub: str) -> Path:
    statement = {
        "Sid": "Enterprise", "Effect": "Allow", "Principal": {"Federated": ENTERPRISE},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {f"{ENT_HOST}:aud": "sts.amazonaws.com"},
                      operator: {f"{ENT_HOST}:sub": sub}},
    }  # fmt: skip
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(statement)), encoding="utf-8")
    return path


@pytest.mark.parametrize("given_arn", [True, False])
def test_an_enterprise_providers_keys_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given_arn: bool
) -> None:
    run = ["--repo", "octo-org/app", "--ref", "refs/heads/main"]
    run += ["--provider-arn", ENTERPRISE] if given_arn else []
    allow = _enterprise(tmp_path, "StringEquals", MAIN)
    code, out, _ = simulate(capsys, "--trust-policy", str(allow), *run)
    assert (code, out.splitlines()[0]) == (ExitCode.OK, "ALLOW by Enterprise")
    refuse = _enterprise(tmp_path, "StringNotLike", "repo:octo-org/*")
    code, out, _ = simulate(capsys, "--trust-policy", str(refuse), *run)
    assert code == ExitCode.FINDINGS
    assert f"  FAIL sub {MAIN!r} matches 'repo:octo-org/*' (StringNotLike)" in out.splitlines()


def test_claim_names_are_case_sensitive(
    trust: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = simulate(capsys, "--trust-policy", str(trust),
                            "--claims", f"Sub={MAIN}", "aud=sts.amazonaws.com")  # fmt: skip
    assert code == ExitCode.FINDINGS
    assert "  FAIL sub is absent; StringEquals needs it" in out.splitlines()
    assert "note: claim 'Sub' is not 'sub'" in out
    token = tmp_path / "token.json"
    token.write_text(json.dumps({"sub": "repo:evil/x:ref:refs/heads/main", "Sub": MAIN,
                                 "aud": "sts.amazonaws.com"}), encoding="utf-8")  # fmt: skip
    code, _, _ = simulate(capsys, "--trust-policy", str(trust), "--token-json", str(token))
    assert code == ExitCode.FINDINGS  # the real sub is evil's; 'Sub' is no claim


def test_a_policy_with_no_github_provider_denies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gitlab = "arn:aws:iam::012345678901:oidc-provider/gitlab.com"
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(_allow(principal={"Federated": gitlab}))), encoding="utf-8")
    argv = ["--trust-policy", str(path), "--repo", "octo-org/app", "--ref", "refs/heads/main"]
    code, out, err = simulate(capsys, *argv)
    assert (code, err) == (ExitCode.FINDINGS, "")
    assert out.splitlines()[0] == (
        "DENY: no statement trusts a GitHub OIDC provider "
        f"(oidc-provider/token.actions.githubusercontent.com); it trusts {gitlab}"
    )
    code, out, _ = simulate(capsys, *argv, "--format", "json")
    shown = json.loads(out)
    assert (code, shown["decision"], shown["principal"]) == (ExitCode.FINDINGS, "DENY", None)


@pytest.mark.parametrize("repo", ["github.com/octo-org/app", "https://github.com/octo-org/app.git"])
def test_repo_may_be_written_as_a_url(
    trust: Path, capsys: pytest.CaptureFixture[str], repo: str
) -> None:
    code, out, _ = simulate(capsys, "--trust-policy", str(trust), "--repo", repo,
                            "--ref", "refs/heads/main")  # fmt: skip
    assert (code, out.splitlines()[0]) == (ExitCode.OK, "ALLOW by GitHubDeploy")


def _with(tmp_path: Path, extra: dict[str, Any], effect: str = "Allow") -> Path:
    """The main-branch policy, with ``extra`` conditions in its Allow or in a Deny."""
    allow = _allow()
    statements = [allow]
    if effect == "Allow":
        for operator, keys in extra.items():
            allow["Condition"].setdefault(operator, {}).update(keys)
    else:
        deny = {"Sid": "Refuse", "Effect": "Deny", "Principal": {"Federated": PROVIDER},
                "Action": "sts:AssumeRoleWithWebIdentity", "Condition": extra}  # fmt: skip
        statements.append(deny)
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(_policy(*statements)), encoding="utf-8")
    return path


MAIN_RUN = ("--repo", "octo-org/app", "--ref", "refs/heads/main")


def test_a_claim_sts_does_not_evaluate_is_never_in_the_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The token carries repository_owner, but STS has no such key: the Allow never applies."""
    policy = _with(tmp_path, {"StringEquals": {f"{HOST}:repository_owner": "octo-org"}})
    code, out, _ = simulate(capsys, "--trust-policy", str(policy), *MAIN_RUN)
    assert code == ExitCode.FINDINGS
    assert out.startswith("DENY: no statement allows this request (implicit deny)\n")
    assert (
        "  FAIL repository_owner is never present in STS's request (STS evaluates no such "
        "key); StringEquals needs it"
    ) in out.splitlines()


@pytest.mark.parametrize(
    ("extra", "verdict"),
    [
        ({"StringNotEquals": {f"{HOST}:event_name": "push"}},
         "  ok   event_name is never present in STS's request (STS evaluates no such key), and "
         "a negated operator (StringNotEquals) holds for a missing key"),
        ({"StringLikeIfExists": {f"{HOST}:workflow_ref": "evil/*"}},
         "  ok   workflow_ref is never present in STS's request (STS evaluates no such key), so "
         "StringLikeIfExists holds"),
        ({"Null": {f"{HOST}:ref_type": "true"}},
         "  ok   ref_type is never present in STS's request (STS evaluates no such key) "
         "(Null 'true')"),
    ],
)  # fmt: skip
def test_tests_that_hold_for_a_missing_key_hold_for_a_claim_sts_does_not_evaluate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: dict[str, Any], verdict: str
) -> None:
    code, out, _ = simulate(capsys, "--trust-policy", str(_with(tmp_path, extra)), *MAIN_RUN)
    assert (code, out.splitlines()[0]) == (ExitCode.OK, "ALLOW by GitHubDeploy")
    assert verdict in out.splitlines()


def test_a_deny_on_a_claim_sts_does_not_evaluate_never_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _with(tmp_path, {"StringEquals": {f"{HOST}:event_name": "push"}}, effect="Deny")
    code, out, _ = simulate(capsys, "--trust-policy", str(policy), *MAIN_RUN)
    assert (code, out.splitlines()[0]) == (ExitCode.OK, "ALLOW by GitHubDeploy")
    assert "Refuse (Deny): does not apply" in out


def test_an_enterprise_issuers_unevaluated_claim_is_never_in_the_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _enterprise(tmp_path, "StringEquals", MAIN)
    policy = json.loads(path.read_text(encoding="utf-8"))
    policy["Statement"][0]["Condition"]["StringEquals"][f"{ENT_HOST}:repository_owner"] = "octo-org"
    path.write_text(json.dumps(policy), encoding="utf-8")
    code, out, _ = simulate(capsys, "--trust-policy", str(path), *MAIN_RUN,
                            "--provider-arn", ENTERPRISE)  # fmt: skip
    assert code == ExitCode.FINDINGS
    assert "  FAIL repository_owner is never present in STS's request" in out
    claims = ["--claims", f"sub={MAIN}", "aud=sts.amazonaws.com", "repository_owner=octo-org"]
    code, out, _ = simulate(capsys, "--trust-policy", str(path), *claims)
    assert code == ExitCode.FINDINGS  # also when the token says repository_owner outright
