"""Terraform's ``aws_iam_policy_document`` blocks, converted to the JSON policy the provider emits.

The conversion follows the AWS provider (internal/service/iam/policy_model.go): ``effect`` defaults
to Allow; principals of one type are merged; a principal of type ``*`` with identifier ``*``
becomes ``"*"``; and ``condition`` blocks with the same ``test`` and ``variable`` are merged into
ONE key whose values are OR-ed, even though Terraform's documentation describes condition blocks
as AND-ed. Reproducing that merge is the point: it is what AWS evaluates.
"""

from __future__ import annotations

from typing import Any

from oidcify.errors import InputError

_VERSION = "2012-10-17"
_STATEMENT_KEYS = {
    "sid": "Sid",
    "effect": "Effect",
    "actions": "Action",
    "not_actions": "NotAction",
    "resources": "Resource",
    "not_resources": "NotResource",
}


def _blocks(value: Any) -> list[Any]:
    """HCL JSON writes one block as an object and several as a list; plan JSON always as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def is_policy_document(data: dict[str, Any]) -> bool:
    if "statement" in data:
        return True
    docs = data.get("data", {})
    return isinstance(docs, dict) and "aws_iam_policy_document" in docs


def _single_document(data: dict[str, Any], origin: str) -> dict[str, Any]:
    if "statement" in data:
        return data
    named = data["data"]["aws_iam_policy_document"]
    if not isinstance(named, dict) or len(named) != 1:
        names = ", ".join(sorted(named)) if isinstance(named, dict) else "?"
        raise InputError(
            f"expected exactly one aws_iam_policy_document, found: {names}", field=origin
        )
    (body,) = named.values()
    return _blocks(body)[0] if isinstance(body, list) else body  # type: ignore[no-any-return]


def _principals(blocks: Any, where: str) -> Any:
    merged: dict[str, list[str]] = {}
    for i, block in enumerate(_blocks(blocks)):
        if not isinstance(block, dict) or "type" not in block or "identifiers" not in block:
            raise InputError("needs 'type' and 'identifiers'", field=f"{where}[{i}]")
        ids = block["identifiers"]
        merged.setdefault(block["type"], []).extend(ids if isinstance(ids, list) else [ids])
    if list(merged) == ["*"] and merged["*"] == ["*"]:
        return "*"
    return {kind: ids[0] if len(ids) == 1 else ids for kind, ids in merged.items()}


def _conditions(blocks: Any, where: str) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, list[Any]]] = {}
    for i, block in enumerate(_blocks(blocks)):
        if not isinstance(block, dict) or not {"test", "variable", "values"} <= set(block):
            raise InputError("needs 'test', 'variable' and 'values'", field=f"{where}[{i}]")
        values = block["values"]
        key_values = merged.setdefault(block["test"], {}).setdefault(block["variable"], [])
        key_values.extend(values if isinstance(values, list) else [values])
    return {
        test: {var: vals[0] if len(vals) == 1 else vals for var, vals in keys.items()}
        for test, keys in merged.items()
    }


def _statement(block: Any, where: str) -> dict[str, Any]:
    if not isinstance(block, dict):
        raise InputError("expected a statement block (an object)", field=where)
    out: dict[str, Any] = {"Effect": "Allow"}
    for tf_key, iam_key in _STATEMENT_KEYS.items():
        if block.get(tf_key) not in (None, "", []):
            out[iam_key] = block[tf_key]
    for tf_key, iam_key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if block.get(tf_key):
            out[iam_key] = _principals(block[tf_key], f"{where}.{tf_key}")
    if block.get("condition"):
        out["Condition"] = _conditions(block["condition"], f"{where}.condition")
    return out


def to_policy(data: dict[str, Any], origin: str) -> dict[str, Any]:
    """The JSON policy document the AWS provider renders for an ``aws_iam_policy_document``."""
    doc = _single_document(data, origin)
    for merged in ("source_policy_documents", "override_policy_documents"):
        if doc.get(merged):
            raise InputError(
                f"{merged} cannot be resolved offline; pass the rendered policy "
                "(the data source's 'json' attribute, e.g. from `terraform show -json`)",
                field=origin,
            )
    statements = [
        _statement(block, f"{origin} statement[{i}]")
        for i, block in enumerate(_blocks(doc.get("statement")))
    ]
    return {"Version": doc.get("version") or _VERSION, "Statement": statements}
