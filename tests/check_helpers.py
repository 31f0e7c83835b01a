"""Shared by the check tests: run a check in-process, and read the findings a fixture expects."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from oidcify.check import engine
from oidcify.check.findings import Report
from oidcify.check.options import Options

_EXPECT = re.compile(r"#.*?\bexpect:\s*((?:OC\d{3}[\s,]*)+)")
_EXPECT_AT = re.compile(r"#\s*expect-at:\s*(.*)")


def expected(text: str) -> set[tuple[str, int]]:
    """(rule, line) pairs written in a fixture's comments."""
    found: set[tuple[str, int]] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if at := _EXPECT_AT.search(line):
            for item in at.group(1).split():
                rule, _, where = item.partition("@")
                found.add((rule, int(where)))
        elif match := _EXPECT.search(line):
            found |= {(rule, number) for rule in re.findall(r"OC\d{3}", match.group(1))}
    return found


def run_check(*paths: Path | str, cwd: Path, **options: object) -> Report:
    settings: dict[str, object] = {"use_actionlint": False, **options}
    return engine.check(Options(paths=tuple(str(p) for p in paths), cwd=cwd, **settings))  # type: ignore[arg-type]


def assert_case(case: Path, meta: dict[str, Any], report: Report) -> None:
    """A trust fixture's expectations: the ``# expect:`` comments of its workflows and
    ``expected`` in its case.json exactly, plus ``contains`` texts and ``notes``."""
    wanted = {
        (path.relative_to(case).as_posix(), rule, line)
        for path in sorted((case / ".github" / "workflows").glob("*.yml"))
        for rule, line in expected(path.read_text(encoding="utf-8"))
    } | {(path, rule, line) for path, line, rule in meta["expected"]}
    shown = [f"{f.path}:{f.line} {f.rule} {f.message}" for f in report.findings]
    assert set(own(report)) == wanted, shown
    for rule, text in meta.get("contains", []):
        assert any(f.rule == rule and text in f.message for f in report.findings), (text, shown)
    for note in meta.get("notes", []):
        assert any(note in n for n in report.notes), (note, report.notes)


def own(report: Report) -> list[tuple[str, str, int]]:
    """(path, rule, line) of oidcify's own findings."""
    return sorted((f.path, f.rule, f.line) for f in report.findings if f.source == "oidcify")


def fake_actionlint(folder: Path, **item: object) -> Path:
    """A program that answers like actionlint with one finding, ``item``, in the last file it
    is given, and exits 1 as actionlint does when it finds something."""
    fake = folder / "fake-actionlint"
    fake.write_text(f"#!{sys.executable}\nimport json, sys\nitem = {item!r}\n"
                    "print(json.dumps([dict(item, filepath=sys.argv[-1])]))\nsys.exit(1)\n",
                    encoding="utf-8")  # fmt: skip
    fake.chmod(0o755)
    return fake
