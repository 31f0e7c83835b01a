"""AWS partitions and regions: which partition a region is in, and the names that follow from it."""

from __future__ import annotations

from typing import NamedTuple

from oidcify.errors import InputError

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"


class Partition(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """An AWS partition: its ARN name and its DNS suffix."""

    name: str
    dns_suffix: str

    @property
    def sts_audience(self) -> str:
        """The ``aud`` GitHub's token must carry for STS in this partition."""
        return f"sts.{self.dns_suffix}"


AWS = Partition("aws", "amazonaws.com")
AWS_CN = Partition("aws-cn", "amazonaws.com.cn")
AWS_US_GOV = Partition("aws-us-gov", "amazonaws.com")

# Kept in step with copier.yml's aws_region validator and the Terraform variable validation.
_AWS_REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "af-south-1",
    "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
    "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
)  # fmt: skip

# Kept in step with copier.yml's aws_region validator and the Terraform variable validation.
REGIONS: dict[str, Partition] = {
    **dict.fromkeys(_AWS_REGIONS, AWS),
    "cn-north-1": AWS_CN,
    "cn-northwest-1": AWS_CN,
    "us-gov-east-1": AWS_US_GOV,
    "us-gov-west-1": AWS_US_GOV,
}

PARTITIONS: dict[str, Partition] = {p.name: p for p in (AWS, AWS_CN, AWS_US_GOV)}


def partition_of(region: str, field: str = "aws_region") -> Partition:
    """The partition ``region`` belongs to; an unknown region is an InputError naming ``field``."""
    try:
        return REGIONS[region]
    except KeyError:
        pass
    folded = region.strip().lower()
    if folded in REGIONS:  # not normalised: the name goes into workflows and ARNs as given
        hint = f"did you mean {folded!r}? (region names are lower case)"
    else:
        from difflib import get_close_matches  # noqa: PLC0415 - only for a mistake

        close = get_close_matches(folded, REGIONS, n=3, cutoff=0.8)
        hint = (
            f"did you mean {' or '.join(map(repr, close))}?"
            if close
            else f"expected one of: {', '.join(sorted(REGIONS))}"
        )
    raise InputError(f"unknown region {region!r}; {hint}", field=field)


def sts_audience_of(arn: str) -> str:
    """The ``aud`` STS takes for a provider (or any ARN) in the ARN's partition; ``aws``'s
    when the ARN names no partition this module knows."""
    partition = arn.split(":")[1] if arn.count(":") > 1 else ""
    return PARTITIONS.get(partition, AWS).sts_audience


def oidc_provider_arn(partition: Partition, account_id: str) -> str:
    return f"arn:{partition.name}:iam::{account_id}:oidc-provider/{GITHUB_OIDC_HOST}"


def role_arn(partition: Partition, account_id: str, role_name: str) -> str:
    return f"arn:{partition.name}:iam::{account_id}:role/{role_name}"


def ecr_registry(partition: Partition, account_id: str, region: str) -> str:
    return f"{account_id}.dkr.ecr.{region}.{partition.dns_suffix}"
