"""Where a Terraform role is: its ARN from the policy and the resource's values, and the line of
its ``resource "aws_iam_role"`` block, for findings about its trust policy. Shared by the plan
reading (``folder``) and the python-hcl2 reading (``hcl_policies``)."""

from __future__ import annotations

import re
from typing import Any

from oidcify.check.policies import Locator, Place

_ROLE_BLOCK = r'resource\s+"aws_iam_role"\s+"{}"'


def role_arn(policy_doc: str, values: dict[str, Any]) -> str | None:
    match = re.search(r"arn:(aws[\w-]*):iam::(\d{12}):oidc-provider/", policy_doc)
    name = values.get("name")
    if not match or not isinstance(name, str):
        return None
    path = values.get("path") or "/"
    return f"arn:{match.group(1)}:iam::{match.group(2)}:role{path}{name}"


def role_locator(texts: list[tuple[str, str]], name: str) -> Locator:
    pattern = re.compile(_ROLE_BLOCK.format(re.escape(name)))
    for shown, text in texts:
        if match := pattern.search(text):
            return Locator(texts, Place(shown, text.count("\n", 0, match.start()) + 1))
    return Locator(texts, Place(texts[0][0], 1))
