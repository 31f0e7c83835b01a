"""``--accounts FILE --assume-role NAME``: audit many accounts, each through a role assumed in
it (``arn:PARTITION:iam::ID:role/NAME``, the partition of the caller's own credentials), in
parallel threads. An account that cannot be reached (the role cannot be assumed, IAM refuses
the calls) is reported with the reason while the others go on.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from oidcify.audit.iam_roles import Account
from oidcify.audit.live import AwsError, Connection, calling, client, read_account, session
from oidcify.errors import InputError

_ID = re.compile(r"\d{12}")
WORKERS = 8


def account_ids(path: str) -> list[str]:
    """The account ids of an accounts file: one a line; blank lines and ``#`` comments skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(f"cannot read: {reason}", field=f"--accounts {path}") from None
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split("#", 1)[0].strip()
        if not value:
            continue
        if not _ID.fullmatch(value):
            raise InputError(f"{value!r} is not a 12-digit AWS account id",
                             field=f"{path}:{number}")  # fmt: skip
        found.append(value)
    if not found:
        raise InputError("no account ids in the file", field=f"--accounts {path}")
    return list(dict.fromkeys(found))


def _one(base: object, account: str, role_arn: str, connection: Connection) -> Account:
    sts = client(base, "sts", connection)
    answer = calling(f"sts:AssumeRole {role_arn}", sts.assume_role, RoleArn=role_arn,
                     RoleSessionName="oidcify-audit")  # fmt: skip
    assumed = session(connection, answer["Credentials"])
    return read_account(assumed, connection, label=account)


def fan_out(
    ids: list[str], role_name: str, connection: Connection
) -> tuple[list[Account], list[str]]:
    """The accounts read, and one line for each account that could not be."""
    base = session(connection)
    sts = client(base, "sts", connection)
    caller = calling("sts:GetCallerIdentity", sts.get_caller_identity)
    partition = str(caller["Arn"]).split(":")[1]
    arns = {account: f"arn:{partition}:iam::{account}:role/{role_name}" for account in ids}
    read: list[Account] = []
    unreachable: list[str] = []
    pool = ThreadPoolExecutor(max_workers=min(WORKERS, len(ids)))
    try:
        futures = {account: pool.submit(_one, base, account, arns[account], connection)
                   for account in ids}  # fmt: skip
        for account, future in futures.items():
            try:
                read.append(future.result())
            except AwsError as err:
                unreachable.append(f"{account}: unreachable: {err}")
    finally:  # Ctrl-C: accounts not started yet are not started
        pool.shutdown(wait=True, cancel_futures=True)
    return read, unreachable
