"""How workflows hold AWS credentials: the action, its key inputs, the key variables, and secret
names that look like keys. One vocabulary for the retrofit (which removes them) and the check
(which reports them), so the two never disagree about what a static key is.
"""

from __future__ import annotations

import re

from oidcify.workflows.model import Step

CAC = "aws-actions/configure-aws-credentials"
# The action's own default `audience`, in every partition (China needs it set explicitly).
CAC_DEFAULT_AUDIENCE = "sts.amazonaws.com"
ECR_LOGIN = "aws-actions/amazon-ecr-login"
KEY_INPUTS = ("aws-access-key-id", "aws-secret-access-key", "aws-session-token")
KEY_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
# Secret names that say "AWS access key" even where oidcify does not see them used as one.
KEY_NAME = re.compile(
    r"(?:^|_)(?:AWS|IAM)_?(?:\w*_)?(?:ACCESS_?KEY(?:_ID)?|SECRET_?(?:ACCESS_?)?KEY|SESSION_?TOKEN)"
    r"(?:_|$)",
    re.IGNORECASE,
)
# A literal access key id written into a workflow (long-lived AKIA, temporary ASIA).
ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")


def is_action(step: Step, action: str) -> bool:
    return step.uses is not None and step.uses.kind == "action" and step.uses.action == action


def is_cac(step: Step) -> bool:
    return is_action(step, CAC)
