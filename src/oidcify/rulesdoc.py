"""docs/rules.md, written from the code: every ``oidcify check`` rule (OC) and every retrofit code
(OR fixes, OS skips, OW warnings), with what it means, why it matters, a bad and a good example,
and which fix resolves which finding.

A rule's text comes from where the rule is: its ``RuleInfo`` (summary, help), its module's
docstring (what it finds) and its ``EXAMPLE``; a retrofit code's from ``retrofit.codes`` (the
one-line table) and ``retrofit.code_details``. ``SOURCES`` lists the rule sets, each a function
returning rule objects (anything with ``INFO``, a docstring and ``EXAMPLE``): another command's
rules are one more line there. ``python -m oidcify.rulesdoc [FILE]`` (``make docs``) writes it;
a test fails when docs/rules.md is stale.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from oidcify.check.findings import Example, RuleInfo


class RuleSource(NamedTuple):
    title: str  # the section's heading
    intro: str
    rules: Callable[[], Iterable[Any]]  # objects with INFO, __doc__ and EXAMPLE


def _check_rules() -> Iterable[Any]:
    from oidcify.rules import all_rules  # noqa: PLC0415 - imports every rule module

    return all_rules()


def _audit_rules() -> Iterable[Any]:
    from oidcify.audit.account_rules import account_rules  # noqa: PLC0415

    return account_rules()


SOURCES: list[RuleSource] = [
    RuleSource("`oidcify check` rules", "OC1xx judge workflow files, OC2xx a role's trust "
               "policy (`--trust-policy`, `--terraform`) and its coverage of the workflows.",
               _check_rules),
    RuleSource("`oidcify audit` rules", "OC3xx judge what only an account-wide view shows "
               "(`oidcify audit`); the audit also reports the OC2xx findings of each role.",
               _audit_rules),
]  # fmt: skip
HEADER = """\
# Rule reference

<!-- Generated from the code by `make docs` (python -m oidcify.rulesdoc): do not edit. -->

Every finding of `oidcify check` (OC) and every code of `oidcify retrofit` (OR: a fix it makes,
OS: something it leaves alone, OW: a warning). IDs never change meaning once released.
"""


def _markdown(text: str) -> str:
    """A docstring's reStructuredText literals as Markdown code."""
    return re.sub(r"``(.+?)``", r"`\1`", text, flags=re.DOTALL)


def _description(rule: Any, info: RuleInfo) -> str:
    doc = (getattr(rule, "__doc__", None) or "").strip()
    doc = re.sub(rf"^{re.escape(info.id)}:\s*", "", doc)
    paragraphs = [" ".join(p.split()) for p in doc.split("\n\n") if p.strip()]
    text = "\n\n".join(_markdown(p) for p in paragraphs) or info.summary
    return text[:1].upper() + text[1:]


def _block(title: str, text: str, lang: str) -> str:
    return f"{title}:\n\n```{lang}\n{text.rstrip()}\n```\n"


def _fixed_by() -> dict[str, list[str]]:
    from oidcify.retrofit.code_details import DETAILS  # noqa: PLC0415

    found: dict[str, list[str]] = {}
    for code, detail in DETAILS.items():
        for rule in detail.resolves:
            found.setdefault(rule, []).append(code)
    return found


def anchor(info: Any) -> str:
    """The section's anchor, as GitHub makes it from the heading ``ID name``."""
    return f"{info.id.lower()}-{info.name}"


def _rule_section(rule: Any, fixes: dict[str, list[str]]) -> str:
    info: RuleInfo = rule.INFO  # or any record with id, name, severity, summary and help
    on = getattr(info, "default", True)
    state = "on by default" if on else "off by default (`--enable " + info.id + "`)"
    parts = [
        f"### {info.id} {info.name}\n",
        f"Severity {info.severity}, {state}.\n",
        _description(rule, info) + "\n",
        f"**Why it matters.** {info.help}\n",
    ]
    example: Example | None = getattr(rule, "EXAMPLE", None)
    if example:
        parts += [_block("Reported", example.bad, example.lang),
                  _block("Instead", example.good, example.lang)]  # fmt: skip
    if info.id in fixes:
        links = ", ".join(f"[{c}](#{c.lower()})" for c in fixes[info.id])
        parts.append(f"Fixed by `oidcify retrofit`: {links}.\n")
    return "\n".join(parts)


def _codes_section() -> str:
    from oidcify.retrofit import codes  # noqa: PLC0415
    from oidcify.retrofit.code_details import DETAILS  # noqa: PLC0415

    kinds = (("Fixes (OR)", codes.FIXES), ("Left alone (OS)", codes.SKIPS),
             ("Warnings (OW)", codes.WARNINGS))  # fmt: skip
    out = ["## `oidcify retrofit` codes\n"]
    for title, table in kinds:
        out.append(f"### {title}\n")
        for code, meaning in table.items():
            detail = DETAILS[code]
            out.append(f"#### {code}\n\n**{meaning}.**\n\n**Why it matters.** {detail.why}\n")
            before, after = ("Before", "After") if code.startswith("OR") else ("Seen", "Instead")
            out.append(_block(before, detail.bad, "yaml"))
            out.append(_block(after, detail.good, "yaml"))
            if detail.resolves:
                links = ", ".join(f"[{r}](#{_anchor(r)})" for r in detail.resolves)
                out.append(f"Resolves: {links}.\n")
    return "\n".join(out)


def _anchor(rule_id: str) -> str:
    for source in SOURCES:
        for rule in source.rules():
            if rule.INFO.id == rule_id:
                return anchor(rule.INFO)
    return rule_id.lower()


def generate() -> str:
    fixes = _fixed_by()
    out = [HEADER]
    for source in SOURCES:
        rules = sorted(source.rules(), key=lambda r: r.INFO.id)
        out.append(f"## {source.title}\n\n{source.intro}\n")
        out.append("| Rule | Name | Severity | What it reports |\n|---|---|---|---|")
        out += [f"| [{r.INFO.id}](#{anchor(r.INFO)}) | {r.INFO.name} | {r.INFO.severity} | "
                f"{r.INFO.summary} |" for r in rules]  # fmt: skip
        out.append("")
        out += [_rule_section(rule, fixes) for rule in rules]
    out.append(_codes_section())
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    if argv and argv[0].startswith("-"):  # --help, or a mistyped flag: never an output path
        sys.stdout.write("usage: python -m oidcify.rulesdoc [FILE]  (stdout without FILE)\n")
        return 0 if argv[0] in ("-h", "--help") else 2
    text = generate()
    if not argv:
        sys.stdout.write(text)
        return 0
    target = Path(argv[0])
    scratch = target.with_name(f".{target.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
