"""Generated workflow variants (indentation, sequence styles, quotes, comments, blank lines,
key orders, line endings, BOM, final newline, where the keys sit, permission shapes): for
each, properties 2-5 of the retrofit hold."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oidcify.retrofit import Options, retrofit_texts
from retrofit_checks import (
    ROLE,
    actionlint,
    key_usages,
    line_problems,
    load,
    normalise,
    permission_problems,
)

COMMENTS = ["# note", "#no space", "# crédentials ✓", "# TODO: rotate keys"]
OPTIONS = Options(role_arn=ROLE)


@dataclass
class Layout:
    unit: int
    indent_items: bool
    dash_alone: bool
    blank_between_steps: bool
    quote: str
    spaced: bool


def _secret(layout: Layout, name: str) -> str:
    expr = f"${{{{ secrets.{name} }}}}" if layout.spaced else f"${{{{secrets.{name}}}}}"
    return f"{layout.quote}{expr}{layout.quote}"


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    return Layout(
        unit=draw(st.sampled_from([2, 4])),
        indent_items=draw(st.booleans()),
        dash_alone=draw(st.booleans()),
        blank_between_steps=draw(st.booleans()),
        quote=draw(st.sampled_from(["", "'", '"'])),
        spaced=draw(st.booleans()),
    )


def _step(
    layout: Layout, col: int, pairs: list[tuple[str, str | list[tuple[str, str]]]]
) -> list[str]:
    """A sequence item at ``col`` (the dash column) in the layout's style."""
    u = layout.unit
    key_col = col + (u if layout.dash_alone else 2)
    lines = [" " * col + "-"] if layout.dash_alone else []
    for i, (key, value) in enumerate(pairs):
        prefix = " " * key_col if (layout.dash_alone or i) else " " * col + "- "
        if isinstance(value, list):
            lines.append(f"{prefix}{key}:")
            lines += [f"{' ' * (key_col + u)}{k}: {v}" for k, v in value]
        else:
            lines.append(f"{prefix}{key}: {value}")
    return lines


@st.composite
def workflows(draw: st.DrawFn) -> str:
    layout = draw(layouts())
    u = layout.unit
    where = draw(st.sampled_from(["inputs", "step-env", "job-env", "workflow-env"]))
    perms = draw(st.sampled_from(["none", "workflow", "job", "read-all", "flow", "id-token"]))
    keys = [
        ("aws-access-key-id", "AWS_ACCESS_KEY_ID"),
        ("aws-secret-access-key", "AWS_SECRET_ACCESS_KEY"),
    ]
    if draw(st.booleans()):
        keys.append(("aws-session-token", "AWS_SESSION_TOKEN"))
    region_in_env = draw(st.booleans()) or where != "inputs"
    lines = ["name: deploy", "on:", " " * u + "push:", " " * 2 * u + "branches: [ main ]"]
    if perms == "workflow":
        lines += ["permissions:", " " * u + "contents: read"]
    if perms == "flow":
        lines += ["permissions: { contents: read }"]
    if where == "workflow-env" or region_in_env:
        lines.append("env:")
        if region_in_env:
            lines.append(" " * u + "AWS_REGION: eu-west-1")
        if where == "workflow-env":
            lines += [f"{' ' * u}{env}: {_secret(layout, env)}" for _, env in keys]
    lines += ["jobs:", " " * u + "deploy:", " " * 2 * u + "runs-on: ubuntu-latest"]
    job = " " * 2 * u
    if perms in ("job", "read-all", "id-token"):
        lines += {
            "job": [job + "permissions:", job + " " * u + "contents: read"],
            "read-all": [job + "permissions: read-all"],
            "id-token": [job + "permissions:", job + " " * u + "id-token: none"],
        }[perms]
    if where == "job-env":
        lines += [job + "env:"] + [
            f"{job}{' ' * u}{env}: {_secret(layout, env)}" for _, env in keys
        ]
    lines.append(job + "steps:")
    col = 2 * u + (u if layout.indent_items else 0)
    steps = [_step(layout, col, [("uses", "actions/checkout@v4")])]
    if draw(st.booleans()):
        steps.append(
            _step(
                layout,
                col,
                [("uses", "actions/setup-node@v4"), ("with", [("node-version", "'20'")])],
            )
        )
    if where == "inputs":
        inputs = [(k, _secret(layout, env)) for k, env in keys]
        if not region_in_env:
            inputs.append(("aws-region", "us-east-1"))
        inputs = draw(st.permutations(inputs))
        steps.append(
            _step(
                layout,
                col,
                [
                    ("name", "Configure AWS credentials"),
                    ("uses", "aws-actions/configure-aws-credentials@v4"),
                    ("with", list(inputs)),
                ],
            )
        )
    command = draw(st.sampled_from(["aws s3 sync . s3://bucket", "|"]))
    run: list[tuple[str, str | list[tuple[str, str]]]] = [("name", "Deploy ✈"), ("run", command)]
    if where == "step-env":
        run.append(("env", [(env, _secret(layout, env)) for _, env in keys] + [("STAGE", "prod")]))
    step = _step(layout, col, draw(st.permutations(run)))
    if command == "|":  # a block scalar with a tab and a blank line inside
        at = next(i for i, line in enumerate(step) if line.endswith("run: |")) + 1
        body = " " * (len(step[at - 1]) - len(step[at - 1].lstrip(" -")) + u)
        step[at:at] = [body + "aws s3 sync . s3://bucket\t# tab", "", body + "echo done"]
    steps.append(step)
    for i, step in enumerate(steps):
        if i and layout.blank_between_steps:
            lines.append("")
        lines += step
    lines = _decorate(draw, lines)
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = "---\n" + text
    if not draw(st.booleans()):
        text = text.rstrip("\n")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


def _decorate(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """Comment lines between lines, and comments at the end of some lines."""
    out = []
    for line in lines:
        if line.strip() and draw(st.integers(0, 9)) == 0:
            indent = len(line) - len(line.lstrip(" -"))
            out.append(" " * indent + draw(st.sampled_from(COMMENTS)))
        tail = ""
        if line.strip() and not line.endswith(("-", ":", "|")) and draw(st.integers(0, 7)) == 0:
            tail = "  " + draw(st.sampled_from(COMMENTS))
        elif line.strip() and draw(st.integers(0, 9)) == 0:
            tail = draw(st.sampled_from([" ", "   "]))  # trailing spaces
        out.append(line + tail)
    return out


def _retrofit(text: str) -> str | None:
    result = retrofit_texts({".github/workflows/deploy.yml": text}, OPTIONS)
    (file,) = result.files
    assert file.error is None, file.error
    expected = ["OS001"] if file.new is None else []  # a second run finds it on OIDC
    assert [f.code for f in file.skipped] == expected, file.skipped
    return file.new


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workflows())
def test_generated_variants_keep_every_property(text: str) -> None:
    before = load(text)
    new = _retrofit(text)
    assert new is not None
    assert line_problems(text, new) == []  # 2
    assert _retrofit(new) is None  # 3
    after = load(new)
    assert normalise(after, before=before) == normalise(before)  # 5
    assert permission_problems(before, after) == []
    assert key_usages(after) == []


@pytest.mark.slow
def test_generated_variants_add_no_actionlint_finding(tmp_path: Path) -> None:  # 4
    seen: list[tuple[str, str]] = []

    @settings(max_examples=60, deadline=None, database=None)
    @given(workflows())
    def collect(text: str) -> None:
        new = _retrofit(text)
        assert new is not None
        seen.append((text, new))

    collect()
    for folder, index in (("before", 0), ("after", 1)):
        (tmp_path / folder).mkdir()
        for n, pair in enumerate(seen):
            (tmp_path / folder / f"w{n}.yml").write_bytes(pair[index].encode("utf-8"))
    old = Counter(actionlint(sorted((tmp_path / "before").iterdir())))
    new = Counter(actionlint(sorted((tmp_path / "after").iterdir())))
    assert new - old == Counter()
