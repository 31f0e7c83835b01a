from __future__ import annotations

import pytest

from oidcify import aws
from oidcify.errors import InputError


@pytest.mark.parametrize(
    ("region", "partition", "audience", "registry"),
    [
        ("eu-west-1", "aws", "sts.amazonaws.com", "012345678901.dkr.ecr.eu-west-1.amazonaws.com"),
        ("cn-north-1", "aws-cn", "sts.amazonaws.com.cn",
         "012345678901.dkr.ecr.cn-north-1.amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "sts.amazonaws.com",
         "012345678901.dkr.ecr.us-gov-west-1.amazonaws.com"),
    ],
)  # fmt: skip
def test_partition_follows_region(
    region: str, partition: str, audience: str, registry: str
) -> None:
    part = aws.partition_of(region)
    assert part.name == partition
    assert part.sts_audience == audience
    assert aws.ecr_registry(part, "012345678901", region) == registry
    assert aws.oidc_provider_arn(part, "012345678901") == (
        f"arn:{partition}:iam::012345678901:oidc-provider/token.actions.githubusercontent.com"
    )


def test_unknown_region_names_field_and_choices() -> None:
    with pytest.raises(InputError) as exc:
        aws.partition_of("mars-north-9")
    assert str(exc.value).startswith("aws_region: unknown region 'mars-north-9'; expected one of")
    assert "us-east-1" in str(exc.value)


@pytest.mark.parametrize(
    ("region", "message"),
    [
        # not normalised (the name goes into workflows as given): one suggestion, not 38 names
        ("EU-WEST-1", "unknown region 'EU-WEST-1'; did you mean 'eu-west-1'? (region names are"),
        (" us-gov-west-1", "did you mean 'us-gov-west-1'?"),
        ("eu-westeros-1", "unknown region 'eu-westeros-1'; did you mean 'eu-west-1'"),
        ("eu-west1", "did you mean 'eu-west-1'"),
    ],
)
def test_a_near_miss_gets_a_suggestion(region: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        aws.partition_of(region, "--region")
    assert message in str(exc.value)
    assert "us-east-1" not in str(exc.value)


_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


@pytest.mark.parametrize(
    ("arn", "audience"),
    [
        (_PROVIDER, "sts.amazonaws.com"),
        (_PROVIDER.replace(":aws:", ":aws-cn:"), "sts.amazonaws.com.cn"),
        (_PROVIDER.replace(":aws:", ":aws-us-gov:"), "sts.amazonaws.com"),
    ],
)
def test_the_audience_is_the_partitions(arn: str, audience: str) -> None:
    assert aws.sts_audience_of(arn) == audience
