"""``oidcify retrofit``'s own questions on a terminal: the role, and a region only when some job
names none. A refused answer says why (the same sentence a flag would get), not just "Invalid
input". questionary is imported only here, and only when a question is asked."""

from __future__ import annotations

from collections.abc import Callable

from oidcify import aws, names
from oidcify.errors import InputError


def reason(check: Callable[[str], object]) -> Callable[[str], bool | str]:
    """A questionary validator: True, or the refusal's own message."""

    def validate(value: str) -> bool | str:
        try:
            check(value)
        except InputError as err:
            return str(err)
        return True

    return validate


def ask(question: str, check: Callable[[str], object], default: str = "") -> str:
    import questionary

    answer = questionary.text(question, default=default, validate=reason(check)).ask()
    if not answer:
        raise KeyboardInterrupt
    return str(answer)


def region() -> str:
    return ask(
        "AWS region for jobs that name none:",
        lambda r: aws.partition_of(r, "region"),
        default="us-east-1",
    )


def role(region_known: str | None, needs_region: bool) -> tuple[str, str | None]:
    """The role ARN from an account id and a role name, and the region (asked only when a job
    needs one and none is set; it also gives the ARN's partition)."""
    account = ask("AWS account id:", lambda v: names.AWS_ACCOUNT_ID.require(v, "account id"))
    name = ask("IAM role name:", lambda v: names.IAM_ROLE_NAME.require(v, "role name"))
    chosen = region_known or (region() if needs_region else None)
    partition = aws.partition_of(chosen, "region") if chosen else aws.AWS
    return aws.role_arn(partition, account, name), chosen
