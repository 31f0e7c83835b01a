"""Where the role (and the fallback region) comes from, first match wins:

1. flags: ``--role-arn``, or ``--account-id`` with ``--role-name``; ``--region``;
2. ``.oidcify.toml`` (top-level keys) or ``[tool.oidcify]`` in ``pyproject.toml``, with the
   keys ``role-arn``, ``account-id``, ``role-name``, ``region``;
3. ``.copier-answers.yml`` from the oidcify template (``aws_account_id``, ``iam_role_name``,
   ``aws_region``), which also names the GitHub repository for ``--print-subjects``.

The role may be a literal ARN or an expression (``${{ vars.AWS_ROLE_ARN }}``, see
``role_value``); with an expression, ``role-name`` may name the role for trust output. The config
files may also hold a ``[roles]`` table of ``SELECTOR = ROLE`` (see ``selectors``), which
``--role-for`` flags extend and override.

The partition of a role built from an account and a name follows from the region. Every value
is checked with the rules of ``oidcify.names``; errors name the flag, file or key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from oidcify import aws, names
from oidcify.errors import InputError, describe_read_error
from oidcify.retrofit import role_value, selectors

CONFIG_KEYS = ("role-arn", "account-id", "role-name", "region")
ANSWERS = ".copier-answers.yml"


@dataclass(frozen=True)
class Settings:
    role_arn: str | None = None
    region: str | None = None
    source: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    role_name: str | None = None  # the name of an expression role, for trust output
    role_for: tuple[tuple[str, str], ...] = ()  # (selector, role), most important first


def _toml(path: Path, table: tuple[str, ...]) -> dict[str, Any] | None:
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"cannot read: {describe_read_error(err)}", field=path.name) from None
    for part in table:
        data = data.get(part) if isinstance(data, dict) else None
    if data is None:
        return None
    where = ".".join((path.name, *table))
    if not isinstance(data, dict):
        raise InputError("expected a table", field=where)
    unknown = sorted(set(data) - {*CONFIG_KEYS, "roles"})
    if unknown:
        raise InputError(
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(CONFIG_KEYS)}, [roles]",
            field=where,
        )
    roles = data.get("roles")
    if roles is not None and not isinstance(roles, dict):
        raise InputError("expected a table of SELECTOR = ROLE", field=f"{where}.roles")
    return data


def _role_tables(root: Path) -> list[tuple[tuple[str, str], ...]]:
    """The ``[roles]`` tables of ``.oidcify.toml`` and ``[tool.oidcify]``, in that order."""
    found = []
    for path, table in ((".oidcify.toml", ()), ("pyproject.toml", ("tool", "oidcify"))):
        data = _toml(root / path, table) or {}
        if isinstance(data.get("roles"), dict):
            where = ".".join((path, *table, "roles"))
            found.append(selectors.parse_table(data["roles"], where))
    return found


def read_answers(root: Path) -> dict[str, Any]:
    """The answers of the oidcify template in ``root``, {} when there are none."""
    path = root / ANSWERS
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read: {describe_read_error(err)}", field=ANSWERS) from None
    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as err:
        raise InputError(f"malformed YAML: {' '.join(str(err).split())}", field=ANSWERS) from None
    return data if isinstance(data, dict) else {}


def _role(values: dict[str, Any], field: dict[str, str], region: str | None) -> str | None:
    """A role ARN from ``role-arn`` or ``account-id`` + ``role-name``; ``field`` names them."""
    arn, account, name = (values.get(k) for k in ("role-arn", "account-id", "role-name"))
    if arn is not None and role_value.is_expression(arn) and account is None:
        if name is not None:
            names.IAM_ROLE_NAME.require(name, field["role-name"])
        return role_value.require(arn, field["role-arn"])
    if arn is not None and (account is not None or name is not None):
        raise InputError(
            "give either a role ARN or an account id and role name, not both",
            field=field["role-arn"],
        )
    if arn is not None:
        return role_value.require(arn, field["role-arn"])
    if account is None and name is None:
        return None
    if account is None or name is None:
        missing = "account-id" if account is None else "role-name"
        raise InputError("needed together with the other half of the role", field=field[missing])
    names.AWS_ACCOUNT_ID.require(account, field["account-id"])
    names.IAM_ROLE_NAME.require(name, field["role-name"])
    partition = aws.partition_of(region, field["region"]) if region else aws.AWS
    return aws.role_arn(partition, account, name)


_ANSWER_KEYS = {
    "account-id": "aws_account_id",
    "role-name": "iam_role_name",
    "region": "aws_region",
}


def _sources(root: Path, flags: dict[str, str | None], answers: dict[str, Any]) -> list[Any]:
    """(values, field names) per source, most important first."""
    tool = "pyproject.toml: [tool.oidcify] "
    return [
        ({k: v for k, v in flags.items() if v is not None}, {k: f"--{k}" for k in CONFIG_KEYS}),
        (_toml(root / ".oidcify.toml", ()) or {}, {k: f".oidcify.toml: {k}" for k in CONFIG_KEYS}),
        (
            _toml(root / "pyproject.toml", ("tool", "oidcify")) or {},
            {k: tool + k for k in CONFIG_KEYS},
        ),
        (
            {k: answers[a] for k, a in _ANSWER_KEYS.items() if answers.get(a) not in (None, "")},
            {k: f"{ANSWERS}: {a}" for k, a in _ANSWER_KEYS.items()} | {"role-arn": ANSWERS},
        ),
    ]


def resolve(
    root: Path, flags: dict[str, str | None], role_for: tuple[tuple[str, str], ...] = ()
) -> Settings:
    """The role and region from flags (keys as in CONFIG_KEYS), then config, then answers;
    ``role_for``: the ``--role-for`` mapping, before the config files' ``[roles]`` tables."""
    answers = read_answers(root)
    mapping = selectors.merged(role_for, *_role_tables(root))
    sources = _sources(root, flags, answers)
    region, region_field = next(
        ((str(v["region"]), f["region"]) for v, f in sources if v.get("region")), (None, "--region")
    )
    if region is not None:
        aws.partition_of(region, region_field)
    for values, fields in sources:
        role = _role(values, fields, region)
        if role:
            _same_partition(role, region, region_field)
            name = values.get("role-name") if role_value.is_expression(role) else None
            return Settings(role, region, fields["role-arn"], answers, name, mapping)
    return Settings(None, region, "", answers, None, mapping)


def _same_partition(role: str, region: str | None, field: str) -> None:
    role_partition = role_value.partition(role)
    if region is None or role_partition is None:
        return
    partition = aws.partition_of(region, field).name
    if partition != role_partition:
        raise InputError(
            f"region {region} is in partition {partition}, the role in {role_partition}",
            field=field,
        )
