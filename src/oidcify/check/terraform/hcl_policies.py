"""Trust policies read from ``.tf`` files with python-hcl2, for machines without terraform.

Evaluated: string literals and heredocs with ``${var.NAME}`` / ``${local.NAME}`` interpolations
(variables from ``default``, then the tfvars files terraform reads by itself, in its order),
lists of those, and ``assume_role_policy`` given as JSON text or as
``data.aws_iam_policy_document.NAME.json`` with literal ``statement`` blocks (converted as the
AWS provider does, ``iam.terraform``). oidcify's own template is recognised and computed by
``template_policy``, including the ``for_each`` roles of its ``batch_roles``.
Anything else (functions, ``for`` expressions, ``dynamic`` blocks, module outputs) is refused
with a message naming terraform, whose offline plan gives the exact policy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from oidcify.check.policies import TrustPolicy
from oidcify.check.terraform import template_policy
from oidcify.check.terraform.role_location import role_arn, role_locator
from oidcify.errors import InputError
from oidcify.iam import parse_policy
from oidcify.iam.terraform import to_policy

_REF = re.compile(r"\$\{\s*(var|local)\.([\w-]+)\s*\}")
_DOC_REF = re.compile(
    r'\$\{\s*data\.aws_iam_policy_document\.([\w-]+)(?:\[("[^"]*"|each\.key)\])?\.json\s*\}'
)
_TEMPLATE_VARIABLES = (*template_policy.REQUIRED, "subject_format", "github_owner_id",
                       "github_repo_id", "deploy_environment", "deploy_branches",
                       "deploy_tag_pattern", "allow_pull_requests", "pin_workflow")  # fmt: skip
_ESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\t": "\t", "$${": "${"}


class Unsupported(Exception):
    pass


class _Literal(str):
    """A string from a ``.tfvars.json`` file: a value as it stands, never a template."""


def _literals(value: Any) -> Any:
    if isinstance(value, str):
        return _Literal(value)
    if isinstance(value, list):
        return [_literals(item) for item in value]
    if isinstance(value, dict):
        return {key: _literals(item) for key, item in value.items()}
    return value


class Role(NamedTuple):
    """An evaluated ``aws_iam_role``: its name, trust policy and path."""

    name: Any
    policy: Any
    path: str = "/"


def _unquote(name: str) -> str:
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] == '"' else name


class Scope:
    def __init__(self, variables: dict[str, Any], locals_: dict[str, Any]) -> None:
        self.variables, self.locals, self.stack = variables, locals_, [""]

    def lookup(self, kind: str, name: str) -> Any:
        table = self.variables if kind == "var" else self.locals
        if name not in table or f"{kind}.{name}" in self.stack:
            raise Unsupported(f"{kind}.{name}")
        self.stack.append(f"{kind}.{name}")
        try:
            return self.value(table[name])
        finally:
            self.stack.pop()

    def value(self, raw: Any) -> Any:
        if isinstance(raw, list):
            return [self.value(item) for item in raw]
        if isinstance(raw, dict):
            return {_unquote(k): self.value(v) for k, v in raw.items() if not k.startswith("__")}
        if isinstance(raw, _Literal):
            return str(raw)
        if not isinstance(raw, str):
            return raw
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            return self._template(raw[1:-1])
        whole = _REF.fullmatch(raw)
        if whole:
            return self.lookup(whole.group(1), whole.group(2))
        if raw in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[raw]
        raise Unsupported(raw)

    def _template(self, body: str) -> str:
        if body.startswith("<<"):
            lines = body.split("\n")
            body = "\n".join(lines[1:-1])
        else:
            body = re.sub(r'\\\\|\\"|\\n|\\t', lambda m: _ESCAPES[m.group(0)], body)

        def substitute(match: re.Match[str]) -> str:
            found = self.lookup(match.group(1), match.group(2))
            if not isinstance(found, str | int | float):
                raise Unsupported(match.group(0))
            return str(found)

        text = _REF.sub(substitute, body)
        if "${" in text.replace("$${", ""):
            raise Unsupported(text)
        return text.replace("$${", "${")


def _blocks(docs: list[dict[str, Any]], kind: str, label: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for doc in docs:
        for block in doc.get(kind, []):
            for name, body in block.items():
                if label is None:
                    found[_unquote(name)] = body
                elif _unquote(name) == label:
                    found.update({_unquote(k): v for k, v in body.items()})
    return found


def _scope(folder: Path, docs: list[dict[str, Any]]) -> Scope:
    import hcl2  # noqa: PLC0415 - heavy, and only without terraform

    variables = {name: body.get("default") for name, body in _blocks(docs, "variable").items()}
    # terraform's order: terraform.tfvars, its JSON twin, then *.auto.tfvars(.json) by name.
    autos = [*folder.glob("*.auto.tfvars"), *folder.glob("*.auto.tfvars.json")]
    tfvars = [folder / "terraform.tfvars", folder / "terraform.tfvars.json", *sorted(autos)]
    for path in tfvars:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            loaded = json.loads(text) if path.suffix == ".json" else hcl2.loads(text)
        except Exception as err:  # python-hcl2 raises lark's many error types
            raise _unparsable(path.name, err) from None
        if not isinstance(loaded, dict):
            raise InputError(f"{path.name}: not an object of variables", field="--terraform")
        variables.update(_literals(loaded) if path.suffix == ".json" else loaded)
    locals_: dict[str, Any] = {}
    for doc in docs:
        for block in doc.get("locals", []):
            locals_.update({k: v for k, v in block.items() if not k.startswith("__")})
    return Scope(variables, locals_)


def _unparsable(name: str, err: Exception) -> InputError:
    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return InputError(f"cannot parse {name}: {first}", field="--terraform")


def _template_values(scope: Scope) -> dict[str, Any]:
    """The variables the template's trust policy is computed from (``template_policy``)."""
    return {n: scope.lookup("var", n) for n in _TEMPLATE_VARIABLES if n in scope.variables}


def _document(scope: Scope, documents: dict[str, Any], name: str) -> dict[str, Any]:
    body = documents.get(name)
    if body is None:
        raise Unsupported(f"data.aws_iam_policy_document.{name}")
    if template_policy.is_template(body, scope.locals):
        return template_policy.policy(_template_values(scope))
    if "dynamic" in body:
        raise Unsupported(f"the dynamic blocks of data.aws_iam_policy_document.{name}")
    value = scope.value(body)
    assert isinstance(value, dict)
    return to_policy(value, f"data.aws_iam_policy_document.{name}")


def _batch_roles(scope: Scope, documents: dict[str, Any], body: dict[str, Any]) -> list[Role]:
    """The template's ``aws_iam_role.batch``: one role per entry of ``var.batch_roles``, each
    trusting its own subjects through the shared policy document."""
    ref = _DOC_REF.fullmatch(str(body.get("assume_role_policy")))
    document = documents.get(ref.group(1)) if ref else None
    shaped = body.get("for_each") == "${var.batch_roles}" and body.get("name") == "${each.key}"
    if not (ref and ref.group(2) == "each.key" and shaped and document is not None
            and template_policy.is_template(document, scope.locals)):  # fmt: skip
        raise Unsupported(f"for_each = {body.get('for_each')}")
    values = _template_values(scope)
    roles = scope.lookup("var", "batch_roles") or {}
    if not isinstance(roles, dict):
        raise Unsupported("var.batch_roles")
    found = []
    for role, spec in roles.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("subjects"), list):
            raise Unsupported(f"var.batch_roles[{role!r}].subjects")
        subjects, pinned = [str(s) for s in spec["subjects"]], str(spec.get("repository_id") or "")
        policy = template_policy.policy(values, subjects=subjects, repository_id=pinned)
        found.append(Role(role, policy, str(spec.get("path") or "/")))
    return found


def _roles(scope: Scope, documents: dict[str, Any], body: dict[str, Any]) -> list[Role]:
    if "for_each" in body:
        return _batch_roles(scope, documents, body)
    raw = body.get("assume_role_policy")
    ref = _DOC_REF.fullmatch(raw) if isinstance(raw, str) else None
    if ref and ref.group(2) not in (None, '""'):
        raise Unsupported(raw)  # a keyed document outside the template's own shape
    policy = _document(scope, documents, ref.group(1)) if ref else scope.value(raw)
    path = scope.value(body["path"]) if "path" in body else "/"
    return [Role(scope.value(body.get("name", '""')), policy, str(path))]


def policies(folder: Path, texts: list[tuple[str, str]]) -> list[TrustPolicy]:
    import hcl2  # noqa: PLC0415

    docs = []
    for shown, text in texts:
        if shown.endswith(".tf"):
            try:
                docs.append(hcl2.loads(text))
            except Exception as err:  # python-hcl2 raises lark's many error types
                raise _unparsable(shown, err) from None
    scope = _scope(folder, docs)
    documents = _blocks(docs, "data", "aws_iam_policy_document")
    found = []
    for name, body in _blocks(docs, "resource", "aws_iam_role").items():
        try:
            roles = _roles(scope, documents, body)
        except Unsupported as err:
            raise InputError(
                f"aws_iam_role.{name}: cannot evaluate {str(err)[:80]!r} without terraform; "
                "install terraform (the policy is then read from an offline plan) or pass the "
                "rendered policy with --trust-policy",
                field="--terraform",
            ) from None
        for role in roles:
            named = isinstance(role.name, str) and role.name
            label = f"role {role.name}" if named else f"aws_iam_role.{name}"
            parsed = parse_policy(role.policy, origin=f"aws_iam_role.{name}")
            values = {"name": role.name, "path": role.path}
            arn = role_arn(json.dumps(role.policy), values) if named else None
            found.append(TrustPolicy(label, parsed, role_locator(texts, name), role_arn=arn))
    return found
