"""Reading an account live through boto3 (imported here only: the core install has no boto3).

Credentials come from boto3's usual chain (environment, ``--profile``, SSO, instance roles);
``--region`` and ``--endpoint-url`` reach other partitions or a local server. Roles are paged
through ``GetAccountAuthorizationDetails`` (``Filter=["Role"]``: trust policy, attached and
inline policies, ``RoleLastUsed`` in one call per page), providers through
``ListOpenIDConnectProviders``. Botocore's ``standard`` retry mode retries throttling with
backoff. Every AWS failure becomes one ``AwsError`` (exit code 3) saying what failed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from oidcify.audit.iam_roles import Account, account_of, from_detail
from oidcify.errors import ExitCode, OidcifyError


class AwsError(OidcifyError):
    """AWS could not be reached, or refused the credentials or the call."""

    exit_code = ExitCode.TOOL


class Connection(NamedTuple):
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None


def _boto3() -> Any:
    try:
        import boto3
    except ImportError:
        raise AwsError("boto3 is not installed: pip install 'oidcify[audit]' (or read an "
                       "export with --from FILE)", field="audit") from None  # fmt: skip
    return boto3


def session(connection: Connection, credentials: dict[str, str] | None = None) -> Any:
    """A boto3 session for ``connection`` (or for temporary ``credentials``)."""
    boto3 = _boto3()
    keys: dict[str, Any] = {}
    if credentials:
        keys = {"aws_access_key_id": credentials["AccessKeyId"],
                "aws_secret_access_key": credentials["SecretAccessKey"],
                "aws_session_token": credentials["SessionToken"]}  # fmt: skip
    try:
        profile = None if credentials else connection.profile
        return boto3.Session(profile_name=profile, region_name=connection.region, **keys)
    except failures() as err:  # botocore's ProfileNotFound and kin
        raise AwsError(_why(err), field="--profile") from None


def client(sess: Any, service: str, connection: Connection) -> Any:
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=10,
                    read_timeout=60)  # fmt: skip
    return sess.client(service, endpoint_url=connection.endpoint_url, config=config)


def _why(err: Exception) -> str:
    """One line for a botocore error: the service's code and message, or the error's text."""
    if type(err).__name__ == "ResponseParserError":
        return "the endpoint's answer is not an AWS API answer (a server or proxy error page?)"
    response = getattr(err, "response", None)
    if isinstance(response, dict) and isinstance(response.get("Error"), dict):
        error = response["Error"]
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def failures() -> tuple[type[Exception], ...]:
    """What botocore raises when AWS fails or refuses: its own errors, the service's error
    answers, and answers it cannot parse (a proxy's or a server's HTML error page)."""
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    return BotoCoreError, ClientError, ResponseParserError


def calling(what: str, call: Any, **kwargs: Any) -> Any:
    """``call(**kwargs)``, with any AWS failure as one AwsError naming ``what``."""
    try:
        return call(**kwargs)
    except failures() as err:
        raise AwsError(_why(err), field=what) from None


def read_account(sess: Any, connection: Connection, label: str = "") -> Account:
    """Every role of the account ``sess`` reaches, and its OIDC providers."""
    iam = client(sess, "iam", connection)
    source = label or "live"
    roles = []
    try:
        pages = iam.get_paginator("get_account_authorization_details").paginate(Filter=["Role"])
        for page in pages:
            for raw in page.get("RoleDetailList", []):
                roles.append(from_detail(raw, f"{source}: {raw.get('Arn', 'role')}", source))
    except failures() as err:
        raise AwsError(_why(err), field="iam:GetAccountAuthorizationDetails") from None
    listed = calling("iam:ListOpenIDConnectProviders", iam.list_open_id_connect_providers)
    providers = [p["Arn"] for p in listed.get("OpenIDConnectProviderList", [])]
    account = roles[0].account if roles else _account_of(providers) or label
    if not account:
        sts = client(sess, "sts", connection)
        account = calling("sts:GetCallerIdentity", sts.get_caller_identity)["Account"]
    return Account(account, source, roles, providers)


def _account_of(arns: list[str]) -> str:
    return account_of(arns[0]) if arns else ""
