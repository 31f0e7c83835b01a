"""The core's contract for other commands: pure, picklable, consistent across files."""

from __future__ import annotations

import pickle

from oidcify.retrofit import Options, retrofit_texts

ROLE = "arn:aws:iam::123456789012:role/gha-deploy"
KEYS = (
    "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n"
    "          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
    "          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
    "          aws-region: us-east-1\n"
)
CALLEE = "on:\n  workflow_call:\njobs:\n  deploy:\n    runs-on: x\n    steps:\n" + KEYS
CALLER = (
    "on:\n  push:\n    branches: [main, 'release/*']\njobs:\n  call:\n"
    "    uses: ./.github/workflows/deploy.yml\n    secrets: inherit\n"
)


def test_result_is_picklable_and_json_ready() -> None:
    result = retrofit_texts({".github/workflows/deploy.yml": CALLEE}, Options(ROLE))
    again = pickle.loads(pickle.dumps(result))
    assert again.to_json() == result.to_json()
    assert again.changed[0].new == result.changed[0].new


def test_claims_follow_the_callers_of_a_reusable_workflow() -> None:
    files = {".github/workflows/deploy.yml": CALLEE, ".github/workflows/ci.yml": CALLER}
    result = retrofit_texts(files, Options(ROLE))
    (claim,) = [c for c in result.claims if c.job == "deploy"]
    assert claim.role == ROLE
    assert claim.contexts == ("ref:refs/heads/main", "ref:refs/heads/release/*")
    caller = next(f for f in result.files if f.path.endswith("ci.yml"))
    assert [f.code for f in caller.fixes] == ["OR004"]  # the caller now grants id-token


def test_without_a_role_the_plan_is_made_but_flagged() -> None:
    result = retrofit_texts({".github/workflows/deploy.yml": CALLEE}, Options())
    assert result.needs_role and result.changed
    assert "<ACCOUNT_ID>" in (result.changed[0].new or "")


def test_inserted_lines_follow_the_line_endings_around_them() -> None:
    text = (
        "on: push\r\njobs:\r\n  j:\r\n    runs-on: x\n    steps:\n      - run: a\n"
        "        env:\n          AWS_ACCESS_KEY_ID: ${{ secrets.K }}\n"
        "          AWS_SECRET_ACCESS_KEY: ${{ secrets.S }}\n"
    )
    result = retrofit_texts({"w.yml": text}, Options(ROLE, region="eu-west-1"))
    new = result.files[0].new
    assert new is not None
    assert new.count("\r\n") == 3  # only the three lines that had them
