"""What each retrofit code (``codes.ALL``) means for the user, for docs/rules.md: why it matters,
a workflow before (what the code is about) and after (what to have instead), and, for a fix
(OR), which ``oidcify check`` findings (OC) it resolves. ``codes.py`` keeps the one-line table.
"""

from __future__ import annotations

from typing import NamedTuple

CAC_KEYS = """\
- uses: aws-actions/configure-aws-credentials@v6
  with:
    aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
    aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
    aws-region: us-east-1
"""
CAC_ROLE = """\
- uses: aws-actions/configure-aws-credentials@v6
  with:
    role-to-assume: arn:aws:iam::123456789012:role/deploy
    aws-region: us-east-1
"""
ENV_KEYS = """\
env:
  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
steps:
  - run: aws s3 sync dist s3://bucket
"""
ENV_ROLE = """\
steps:
  - uses: aws-actions/configure-aws-credentials@v6
    with:
      role-to-assume: arn:aws:iam::123456789012:role/deploy
      aws-region: us-east-1
  - run: aws s3 sync dist s3://bucket
"""


class Detail(NamedTuple):
    why: str  # why it matters, what to do
    bad: str  # the workflow the code is about
    good: str  # what to have instead (for OR: what the retrofit writes)
    resolves: tuple[str, ...] = ()  # check rules (OC) a fix resolves


DETAILS: dict[str, Detail] = {
    "OR001": Detail(
        "Keys in secrets never expire; a role assumed with the job's OIDC token "
        "gives credentials for one hour, to this repository only.",
        CAC_KEYS,
        CAC_ROLE,
        ("OC102",),
    ),
    "OR002": Detail(
        "Key variables in env hand the keys to every step that runs; they are "
        "replaced by a configure step (OR003).",
        ENV_KEYS,
        ENV_ROLE,
        ("OC102",),
    ),
    "OR003": Detail(
        "The steps that read the keys from env still need credentials: the "
        "inserted configure step provides them, pinned to a reviewed commit.",
        ENV_KEYS,
        ENV_ROLE,
        ("OC102",),
    ),
    "OR004": Detail(
        "Without id-token: write the configure step cannot get a token and fails "
        'with "Credentials could not be loaded".',
        "permissions:\n  contents: read\n",
        "permissions:\n  contents: read\n  id-token: write  # assume the role\n",
        ("OC101",),
    ),
    "OR005": Detail(
        "A reusable workflow that assumes a role no longer needs the key secrets; "
        "callers stop passing them, so the secrets can be deleted.",
        "on:\n  workflow_call:\n    secrets:\n      AWS_ACCESS_KEY_ID:\n        required: true\n",
        "on:\n  workflow_call:\n",
        ("OC102",),
    ),
    "OR006": Detail(
        "amazon-ecr-login and docker/login-action log in to ECR with the "
        "credentials of the configure step; the keys as username/password go.",
        "- uses: docker/login-action@v3\n  with:\n"
        "    registry: 123456789012.dkr.ecr.us-east-1.amazonaws.com\n"
        "    username: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
        "    password: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n",
        "- uses: docker/login-action@v3\n  with:\n"
        "    registry: 123456789012.dkr.ecr.us-east-1.amazonaws.com\n",
        ("OC102",),
    ),
    "OR007": Detail(
        "Releases before v1.6 cannot use OIDC and old majors run on retired Node versions.",
        "- uses: aws-actions/configure-aws-credentials@v1\n",
        "- uses: aws-actions/configure-aws-credentials@v6\n",
        ("OC106",),
    ),
    "OR008": Detail(
        "Chaining from an OIDC first hop keeps the second role and drops the keys that assumed it.",
        CAC_KEYS.replace(
            "    aws-region",
            "    role-to-assume: arn:aws:iam::210987654321:role/target\n    aws-region",
        ),
        CAC_ROLE + "- uses: aws-actions/configure-aws-credentials@v6\n  with:\n"
        "    role-to-assume: arn:aws:iam::210987654321:role/target\n"
        "    role-chaining: true\n    aws-region: us-east-1\n",
        ("OC102",),
    ),
    "OR009": Detail(
        "A reusable workflow called from other repositories runs with the caller's token, "
        "whose subject names the caller's repository: each caller must pass the role its own "
        "trust policy admits, so the role becomes an input instead of a hard-coded ARN.",
        "on:\n  workflow_call:\n    secrets:\n      AWS_ACCESS_KEY_ID:\n"
        "      AWS_SECRET_ACCESS_KEY:\n",
        "on:\n  workflow_call:\n    inputs:\n      role-to-assume:\n        type: string\n"
        "        required: true\n# ...\n    role-to-assume: ${{ inputs.role-to-assume }}\n",
        ("OC102",),
    ),
    "OS001": Detail("Nothing to do: the workflow already assumes roles.", CAC_ROLE, CAC_ROLE),
    "OS002": Detail(
        "Keys made at run time (step outputs, inputs) are not long-lived secrets "
        "oidcify can replace.",
        "with:\n  aws-access-key-id: ${{ steps.vault.outputs.key }}\n",
        CAC_ROLE,
    ),
    "OS003": Detail(
        "A step that assumes a role with keys chains roles; pass --role-chaining "
        "to give it an OIDC first hop (OR008).",
        CAC_KEYS.replace("    aws-region", "    role-to-assume: target\n    aws-region"),
        CAC_ROLE,
    ),
    "OS004": Detail(
        "Keys for something that is not AWS (Cloudflare R2, DigitalOcean Spaces, "
        "MinIO) cannot move to OIDC; an unknown action's inputs are left to you.",
        "env:\n  AWS_ACCESS_KEY_ID: ${{ secrets.R2_KEY }}\n  AWS_REGION: auto\n"
        "steps:\n  - run: aws s3 sync . s3://site --endpoint-url $R2_ENDPOINT\n",
        "# keep the keys: R2 does not trust GitHub's OIDC tokens\n",
    ),
    "OS005": Detail(
        "The key step is a fallback for an OIDC step; remove it by hand once the role works "
        "everywhere.",
        "- if: ${{ vars.USE_OIDC != 'true' }}\n  uses: aws-actions/configure-aws-credentials@v6\n"
        "  with:\n    aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n",
        CAC_ROLE,
    ),
    "OS006": Detail(
        "A script that uses the keys itself cannot be rewritten safely; let a "
        "configure step set the credentials and drop the keys from the script.",
        "- run: aws configure set aws_access_key_id ${{ secrets.AWS_ACCESS_KEY_ID }}\n",
        CAC_ROLE + "- run: aws sts get-caller-identity\n",
    ),
    "OS007": Detail(
        "configure-aws-credentials needs a region; pass --region or set AWS_REGION.",
        ENV_KEYS,
        "env:\n  AWS_REGION: us-east-1\n",
    ),
    "OS008": Detail(
        "A reusable workflow of another repository still takes the keys; change "
        "it first, then its callers.",
        "uses: octo-org/workflows/.github/workflows/deploy.yml@v1\nsecrets:\n"
        "  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n",
        "uses: octo-org/workflows/.github/workflows/deploy.yml@v2  # assumes a role\n"
        "permissions:\n  id-token: write\n",
    ),
    "OS009": Detail(
        "A key chosen among secrets by an expression stands for several "
        "accounts; one role cannot replace it. Give each case its own role.",
        "aws-access-key-id: ${{ github.ref == 'refs/heads/main' && secrets.PROD_KEY"
        " || secrets.DEV_KEY }}\n",
        "role-to-assume: ${{ github.ref == 'refs/heads/main' && vars.PROD_ROLE"
        " || vars.DEV_ROLE }}\n",
    ),
    "OS010": Detail(
        "oidcify edits only YAML it can change without losing comments or layout "
        "(or that GitHub accepts: no duplicate keys).",
        "jobs:\n  deploy: &job\n    runs-on: ubuntu-latest\n  again: *job\n",
        "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n",
    ),
    "OS011": Detail("An empty workflow has nothing to change.", "# TODO\n", "on: push\njobs: {}\n"),
    "OS012": Detail(
        "A symlinked workflow is changed once, under the path it points to.",
        "# .github/workflows/ci.yml -> ../../ci/deploy.yml\n",
        "# ci/deploy.yml changed; the link is left as it is\n",
    ),
    "OW001": Detail(
        "Fork pull requests get no token (pull_request) or a risky one "
        "(pull_request_target): see OC103.",
        "on: pull_request_target\n",
        "on:\n  push:\n    branches: [main]\n",
    ),
    "OW002": Detail(
        "Delete the secret, and the IAM user's keys, once the change is merged: "
        "unused keys still work for whoever has them.",
        "# secret AWS_SECRET_ACCESS_KEY: used by no workflow\n",
        "# gh secret delete AWS_SECRET_ACCESS_KEY\n",
    ),
    "OW003": Detail(
        "A new permissions block narrows every other scope of the token; steps "
        "using GITHUB_TOKEN may need more.",
        "jobs:\n  deploy:\n",
        "jobs:\n  deploy:\n    permissions:\n      contents: read\n      id-token: write\n",
    ),
    "OW004": Detail(
        "Callers in other repositories must grant id-token: write and stop "
        "passing the dropped secrets.",
        "uses: octo-org/workflows/.github/workflows/deploy.yml@v1\n",
        "uses: octo-org/workflows/.github/workflows/deploy.yml@v1\npermissions:\n"
        "  id-token: write\n  contents: read\n",
    ),
    "OW005": Detail(
        "Several key pairs may have had different permissions; one role now "
        "needs all of them, or give each job its own role.",
        "aws-access-key-id: ${{ secrets.PROD_KEY }}\n# and elsewhere\n"
        "aws-access-key-id: ${{ secrets.DEV_KEY }}\n",
        "role-to-assume: arn:aws:iam::123456789012:role/deploy\n",
    ),
    "OW006": Detail(
        "A key written in the file is public to anyone who can read the "
        "repository: deactivate and rotate it.",
        "env:\n  AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE\n",
        CAC_ROLE,
    ),
    "OW007": Detail(
        "A new major may change inputs or defaults: read its changelog.",
        "- uses: aws-actions/configure-aws-credentials@v2\n",
        "- uses: aws-actions/configure-aws-credentials@v6\n",
    ),
    "OW008": Detail(
        "oidcify cannot add id-token: write to permissions set by an expression "
        "or written wrong: add it by hand.",
        "permissions: ${{ fromJSON(vars.PERMISSIONS) }}\n",
        "permissions:\n  id-token: write\n  contents: read\n",
    ),
    "OW009": Detail(
        "The chained role must trust the OIDC role and allow sts:TagSession.",
        '"Principal": {"AWS": "arn:aws:iam::123456789012:user/ci"}\n',
        '"Principal": {"AWS": "arn:aws:iam::123456789012:role/deploy"},\n'
        '"Action": ["sts:AssumeRole", "sts:TagSession"]\n',
    ),
    "OW010": Detail(
        "A file oidcify could not read, an action, or a workflow that hands on "
        "every secret may still use the secret: check before deleting it.",
        "secrets: inherit\n",
        "secrets:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n",
    ),
    "OW011": Detail(
        "The token of a workflow called from another repository names the caller's "
        "repository, so no subject derived here would match: give each caller's role the "
        "caller's subjects, or run `oidcify retrofit --role-input`.",
        "on:\n  workflow_call: {}\n# role-to-assume: arn:aws:iam::123456789012:role/shared\n",
        "on:\n  workflow_call:\n    inputs:\n      role-to-assume:\n        type: string\n",
    ),
}
