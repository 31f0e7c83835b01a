"""Reading accounts from files: ``aws iam get-account-authorization-details --output json``
(one file per account), ``aws iam get-role`` output (one role), and
``aws iam list-open-id-connect-providers`` output (the account's providers, for OC304).

A folder stands for the ``*.json`` files in it (not below it). Files of the same account are
merged: an account's export and its providers list may come in two files. Every problem is one
``InputError`` naming the file and what is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oidcify.audit.iam_roles import Account, IamRole, account_of, from_detail, providers_of
from oidcify.errors import InputError

_SHAPES = ("RoleDetailList (get-account-authorization-details), Role (get-role) or "
           "OpenIDConnectProviderList (list-open-id-connect-providers)")  # fmt: skip


def files(paths: list[str]) -> list[Path]:
    """The files ``paths`` name: files as given, folders as their ``*.json`` files."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            inside = sorted(p for p in path.glob("*.json") if p.is_file())
            if not inside:
                raise InputError("no *.json files in this folder", field=name)
            found += inside
        elif path.exists():
            found.append(path)
        else:
            raise InputError("no such file or folder", field=name)
    return found


def _load(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", field=str(path)) from None
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", field=str(path)) from None
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        raise InputError(f"not valid JSON at {where}: {err.msg}", field=str(path)) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to be an IAM export", field=str(path)) from None


def read(path: Path) -> list[Account]:
    """The accounts one file describes (usually one)."""
    data = _load(path)
    name = str(path)
    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object with {_SHAPES}", field=name)
    roles: list[IamRole] = []
    providers: list[str] | None = None
    if "RoleDetailList" in data:
        details = data["RoleDetailList"]
        if not isinstance(details, list):
            raise InputError("RoleDetailList must be a list of roles", field=name)
        roles = [from_detail(raw, f"{name}: RoleDetailList[{i}]", name)
                 for i, raw in enumerate(details)]  # fmt: skip
    elif "Role" in data:
        roles = [from_detail(data["Role"], f"{name}: Role", name)]
    if "OpenIDConnectProviderList" in data:
        providers = providers_of(data["OpenIDConnectProviderList"], name)
    elif not roles and "RoleDetailList" not in data:
        raise InputError(f"no {_SHAPES}", field=name)
    by_account: dict[str, Account] = {}
    for role in roles:
        by_account.setdefault(role.account, Account(role.account, name)).roles.append(role)
    for arn in providers or []:
        account = account_of(arn)
        entry = by_account.setdefault(account, Account(account, name))
        entry.providers = [*(entry.providers or []), arn]
    if providers == [] and not by_account:
        return [Account("", name, providers=[])]
    return list(by_account.values()) or [Account("", name)]


def read_all(paths: list[str]) -> list[Account]:
    """Every account the files describe, those of one account merged, in account order."""
    merged: dict[str, Account] = {}
    for path in files(paths):
        for account in read(path):
            known = merged.get(account.account_id)
            if known is None:
                merged[account.account_id] = account
                continue
            known.roles += account.roles
            if account.providers is not None:
                known.providers = [*(known.providers or []), *account.providers]
    return [merged[key] for key in sorted(merged)]
