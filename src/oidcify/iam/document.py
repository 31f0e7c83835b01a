"""Turn the text a user hands us into one IAM policy document (a dict), whatever its wrapper.

Accepted shapes: a bare policy document; ``aws iam get-role`` output
(``Role.AssumeRolePolicyDocument``, an object or the URL-encoded string the API returns); a Role
object on its own; Terraform's ``aws_iam_role`` values (``assume_role_policy``); and
``aws_iam_policy_document`` in any of the forms Terraform shows it (``json`` attribute,
``statement`` blocks, or a ``.tf.json`` ``data`` block).

Duplicate JSON keys are refused. ``json.loads`` (and Go's encoding/json, which the Terraform
provider uses before the policy reaches AWS) silently keeps the last of two equal keys, so the
policy a reviewer reads is not the policy that is evaluated: two ``StringLike`` blocks in one
``Condition`` leave only the second in force. IAM Access Analyzer reports condition keys that
differ only in case as an error for the same reason; those are refused where the policy is
normalised (``policy.py``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from oidcify.errors import InputError
from oidcify.iam import terraform


class _Duplicates(dict[str, Any]):
    """A JSON object in which at least one key occurred twice; ``dupes`` names them."""

    dupes: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    dupes = tuple(sorted({key for key in keys if keys.count(key) > 1}))
    if not dupes:
        return dict(pairs)
    marked = _Duplicates(pairs)
    marked.dupes = dupes
    return marked


def _find_duplicates(node: Any, path: str) -> tuple[str, tuple[str, ...]] | None:
    if isinstance(node, _Duplicates):
        return path, node.dupes
    children: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        children = [(f"{path}.{key}" if path else key, value) for key, value in node.items()]
    elif isinstance(node, list):
        children = [(f"{path}[{i}]", value) for i, value in enumerate(node)]
    for child_path, child in children:
        if found := _find_duplicates(child, child_path):
            return found
    return None


def load_json(text: str, origin: str) -> Any:
    """Parse ``text`` as JSON, refusing syntax errors and duplicate keys with their position."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
        found = _find_duplicates(data, "")
    except json.JSONDecodeError as err:
        raise InputError(
            f"not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}", field=origin
        ) from None
    except RecursionError:
        # A policy nests a few levels; this deep is not a policy, and would exhaust the stack.
        raise InputError("JSON nested too deeply to be a policy or a token", field=origin) from None
    if found:
        path, dupes = found
        where = f" in {path}" if path else " at the top level"
        raise InputError(
            f"duplicate JSON key {', '.join(repr(d) for d in dupes)}{where}: JSON readers keep "
            "only the last one, so the policy does not say what it appears to; merge them",
            field=origin,
        )
    return data


def _decode_embedded(value: Any, origin: str) -> Any:
    """A policy embedded as a string: JSON text, or the URL-encoded JSON the IAM API returns."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("%7B") or text.startswith("%7b"):
        text = unquote(text)
    return load_json(text, origin)


def unwrap(data: Any, origin: str) -> dict[str, Any]:
    """The policy document inside any of the accepted wrappers."""
    if not isinstance(data, dict):
        raise InputError("expected a JSON object (a policy document)", field=origin)
    if "Statement" in data:
        return data
    if isinstance(data.get("Role"), dict):
        return unwrap(data["Role"], origin)
    for key in ("AssumeRolePolicyDocument", "assume_role_policy", "json"):
        if key in data:
            return unwrap(_decode_embedded(data[key], f"{origin} {key}"), origin)
    if terraform.is_policy_document(data):
        return terraform.to_policy(data, origin)
    raise InputError(
        "no policy found: expected a policy document with 'Statement', `aws iam get-role` "
        "output, or Terraform aws_iam_policy_document JSON",
        field=origin,
    )


def load_document(text: str | dict[str, Any], origin: str = "policy") -> dict[str, Any]:
    """The policy document in ``text`` (JSON, possibly URL-encoded) or an already-parsed dict."""
    if isinstance(text, dict):
        return unwrap(text, origin)
    return unwrap(_decode_embedded(text, origin), origin)
