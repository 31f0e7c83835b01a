"""The next-steps block after ``retrofit --diff`` / ``--write`` (``retrofit.next_steps``)."""

from __future__ import annotations

from oidcify.retrofit import Options, retrofit_texts
from oidcify.retrofit.next_steps import lines

KEYS = (
    "    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n"
    "          aws-access-key-id: ${{ secrets.KEY_ID }}\n"
    "          aws-secret-access-key: ${{ secrets.KEY_SECRET }}\n"
    "          aws-region: eu-west-1\n"
)
DISPATCH = (
    f"on:\n  push:\n    branches: [main]\n  workflow_dispatch:\njobs:\n  d:\n    runs-on: x\n{KEYS}"
)
OPTIONS = Options(role_arn="${{ secrets.ROLE }}")


def test_next_steps_name_subjects_secrets_and_the_dispatch_warning() -> None:
    result = retrofit_texts({".github/workflows/d.yml": DISPATCH}, OPTIONS)
    assert lines(result, ("octo", "app"), "repo") == [
        "next steps:",
        "  - the trust policy of ${{ secrets.ROLE }} must admit: repo:octo/app:ref:refs/heads/*, "
        "repo:octo/app:ref:refs/heads/main, repo:octo/app:ref:refs/tags/*",
        "  - define the Actions secret ROLE (the role ARN)",
        "  - once merged, delete the secrets: KEY_ID, KEY_SECRET",
        "  - warning: .github/workflows/d.yml runs on workflow_dispatch, so a run from any branch "
        "(ref:refs/heads/*) can assume the role; add an environment or narrow the trust",
    ]


def test_without_a_repository_the_command_is_given() -> None:
    push_only = DISPATCH.replace("  workflow_dispatch:\n", "")
    result = retrofit_texts({".github/workflows/d.yml": push_only}, OPTIONS)
    assert lines(result, None, "my repo")[1] == (
        "  - print the sub claims each role must trust: oidcify retrofit 'my repo' "
        "--print-subjects --repo OWNER/REPO"
    )
    assert not any("workflow_dispatch" in line for line in lines(result, None, "."))
