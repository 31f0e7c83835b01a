"""The template's questions through a real 80-column terminal (pexpect drives `copier`, pyte
draws the screen as a terminal would): help texts and validation messages fit, yes/no and
number questions edit cleanly, subject_format offers only what can work, a mistyped region gets
one suggestion, and `copier update` asks no question twice."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pexpect
import pyte
import pytest
import yaml

import template_versions as tv
from cases import BASE, REPO, extract_release, render

pytestmark = pytest.mark.slow  # each test starts copier on a pseudo-terminal
COLUMNS, ROWS = 80, 400  # tall: nothing scrolls away, so every prompt asked stays on screen
QUESTIONS: dict[str, Any] = {
    name: spec
    for name, spec in yaml.safe_load((REPO / "copier.yml").read_text()).items()
    if not name.startswith("_") and isinstance(spec, dict)
}
ENTER, BACKSPACE = "\r", "\x7f"


class Terminal:
    """copier on a pseudo-terminal of COLUMNS columns, and the screen it draws."""

    def __init__(self, *args: str, cwd: Path | None = None) -> None:
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"}
        self.child = pexpect.spawn(
            sys.executable, ["-m", "copier", *args], cwd=cwd, env=env, dimensions=(ROWS, COLUMNS)
        )

    def pump(self, seconds: float) -> bool:
        """Draw what arrives for ``seconds``; False once copier has exited."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.05))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return False
        return True

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_for(self, pattern: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while not re.search(pattern, self.text(), re.M):
            alive = self.pump(0.2)
            if not alive and not re.search(pattern, self.text(), re.M):
                pytest.fail(f"copier exited before {pattern!r} appeared:\n{self.text()}")
            if time.monotonic() > end:
                pytest.fail(f"{pattern!r} did not appear:\n{self.text()}")

    def prompt(self, question: str) -> None:
        """Wait until ``question``'s help is on screen, in full."""
        first = QUESTIONS[question]["help"].splitlines()[0]
        self.wait_for("^🎤 " + re.escape(first) + "$")

    def send(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)
            self.pump(0.15)

    def finish(self, timeout: float = 60) -> int:
        end = time.monotonic() + timeout
        while self.pump(0.2):
            if time.monotonic() > end:
                pytest.fail(f"copier did not finish:\n{self.text()}")
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def _copy(tmp_path: Path, plain_template: Path) -> Terminal:
    return Terminal("copy", str(plain_template), str(tmp_path / "out"))


def _answer_first_questions(term: Terminal, *, ids: tuple[str, str] = ("", "")) -> None:
    for question, typed in (("github_owner", "octo-org"), ("github_repo", "app"),
                            ("github_owner_id", ids[0]), ("github_repo_id", ids[1])):  # fmt: skip
        term.prompt(question)
        term.send(typed, ENTER)


def _through_the_rest(term: Terminal, answers: dict[str, tuple[str, ...]]) -> None:
    """Answer every question after the ids: ``answers`` gives keys, others take the default."""
    for question in list(QUESTIONS)[4:]:
        if question == "subject_format" and question not in answers:
            continue  # asked only with both ids
        term.prompt(question)
        keys = answers.get(question, ("012345678901",) if question == "aws_account_id" else ())
        term.send(*keys, *(() if keys and keys[-1] in ("y", "n") else (ENTER,)))


def test_every_help_text_is_shown_whole_at_80_columns(tmp_path: Path, plain_template: Path) -> None:
    term = _copy(tmp_path, plain_template)
    _answer_first_questions(term)
    _through_the_rest(term, {})
    assert term.finish() == 0
    lines = term.lines()
    for name, spec in QUESTIONS.items():
        if name == "subject_format":
            continue
        help_lines = spec["help"].splitlines()
        at = lines.index(f"🎤 {help_lines[0]}")
        assert lines[at + 1 : at + len(help_lines)] == help_lines[1:], name
    assert all(len(line) < COLUMNS for line in lines), "a line reached the right margin"


def test_a_refused_answer_shows_the_rule_within_80_columns(
    tmp_path: Path, plain_template: Path
) -> None:
    term = _copy(tmp_path, plain_template)
    _answer_first_questions(term)
    term.prompt("aws_account_id")
    term.send("12345")
    term.wait_for("^Validation error for question 'aws_account_id': exactly 12 digits, leading")
    term.send(*[BACKSPACE] * 5, "0123-4567-890")
    term.wait_for("^Validation error for question 'aws_account_id': exactly 12 digits")
    term.send(*[BACKSPACE] * 13, "012345678901", ENTER)
    term.prompt("aws_region")
    term.send(*[BACKSPACE] * 9, "us-east-9")
    term.wait_for(r"^   us-east-9$")  # the value typed stays in view
    term.wait_for(r"^Validation error for question 'aws_region': closest region: us-east-1; got")
    term.send(BACKSPACE, "2", ENTER)
    term.prompt("iam_role_name")
    term.child.terminate(force=True)


def test_yes_no_and_numbers_edit_cleanly(tmp_path: Path, plain_template: Path) -> None:
    term = _copy(tmp_path, plain_template)
    _answer_first_questions(term)
    keys = {
        "create_ecr_repository": ("n",),
        "allow_pull_requests": ("y",),
        "pin_actions": ("n",),
        "max_session_duration": (*[BACKSPACE] * 4, "7200"),
    }
    _through_the_rest(term, keys)
    assert term.finish() == 0
    answers = tv.answers(tmp_path / "out")
    assert answers["create_ecr_repository"] is False
    assert answers["allow_pull_requests"] is True
    assert answers["pin_actions"] is False
    assert answers["max_session_duration"] == 7200
    assert answers["subject_format"] == "legacy"


def test_subject_format_is_asked_only_when_the_ids_allow_a_choice(
    tmp_path: Path, plain_template: Path
) -> None:
    term = _copy(tmp_path, plain_template)
    _answer_first_questions(term, ids=("9919", "123456789"))
    term.prompt("subject_format")
    for choice in ("legacy", "immutable", "both"):  # all three can work: none is disabled
        term.wait_for(rf"^\W*{choice}$")
    assert "needs both ids" not in term.text()
    _through_the_rest(term, {"subject_format": ()})  # Enter: the default with ids, both
    assert term.finish() == 0
    assert tv.answers(tmp_path / "out")["subject_format"] == "both"
    without_ids = _copy(tmp_path / "second", plain_template)
    _answer_first_questions(without_ids)
    without_ids.prompt("aws_account_id")  # subject_format was skipped: only legacy can work
    assert "Which form of GitHub's `sub` claim" not in without_ids.text()
    without_ids.child.terminate(force=True)


def test_copier_update_asks_each_question_once(tmp_path: Path) -> None:
    """A project of release 0.2.0 (yes/no and numbers were YAML questions then) updated to this
    template with plain `copier update`: every question asked once, its old answer filled in."""
    new = tmp_path / "template"
    new.mkdir()
    extract_release("v0.2.0", new)
    tv.git(new, "init", "-q")
    tv.commit_all(new, "0.2.0")
    tv.git(new, "tag", "v0.2.0")
    for part in ("template", "src/oidcify/data"):
        shutil.rmtree(new / part)
        shutil.copytree(REPO / part, new / part)
    shutil.copy(REPO / "copier.yml", new / "copier.yml")
    tv.commit_all(new, "this release")
    tv.git(new, "tag", "v99.0.0")
    project = tmp_path / "project"
    answers = {**BASE, "max_session_duration": 7200, "allow_pull_requests": True}
    render(answers, project, src=new, vcs_ref="v0.2.0")
    tv.git(project, "init", "-q")
    tv.commit_all(project, "bootstrap")

    term = Terminal("update", cwd=project)
    asked: list[str] = []
    while term.pump(1.0):  # Enter at each new prompt: the old answer, filled in, stays
        shown = [line for line in term.lines() if line.startswith("🎤 ")]
        if len(shown) > len(asked):
            asked = shown
            term.send(ENTER)
    assert term.finish() == 0, term.text()
    assert len(asked) == len(set(asked)), asked
    assert len(asked) == len(QUESTIONS) - 1  # every question but subject_format (no ids)
    updated = tv.answers(project)
    assert updated["_commit"] == "v99.0.0"
    assert updated["max_session_duration"] == 7200 and updated["allow_pull_requests"] is True
