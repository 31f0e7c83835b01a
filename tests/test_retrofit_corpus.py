"""The fidelity properties of the retrofit over real workflows, read in place from ../shared:
the corpus (static keys, ECR pushes, already-OIDC) and actionlint's 1,503 real-world workflows.

1. unchanged files are not rewritten; 2. every changed line belongs to a fix, and BOM, CRLF
and final newlines stay; 3. a second run changes nothing; 4. actionlint finds nothing new;
5. the data equals the old data plus exactly the intended changes; 6. no static key from
secrets is left in configure-aws-credentials or AWS env without a reported reason.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from oidcify.retrofit import FileResult, Options, retrofit_texts
from retrofit_checks import (
    ROLE,
    actionlint,
    key_usages,
    line_problems,
    load,
    normalise,
    permission_problems,
    zizmor,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
DATASET = SHARED / "corpus-realworld" / "dataset.zip"
OPTIONS = Options(role_arn=ROLE, region="us-east-1")
MENTIONS_KEYS = re.compile(r"aws.{0,24}(access|secret|session)", re.IGNORECASE)

pytestmark = pytest.mark.slow


@dataclass
class Run:
    name: str
    group: str
    before: str
    result: FileResult
    again: FileResult | None

    @property
    def after(self) -> str:
        return self.result.new if self.result.new is not None else self.before


def _retrofit(name: str, text: str) -> FileResult:
    return retrofit_texts({f".github/workflows/{name}": text}, OPTIONS).files[0]


@pytest.fixture(scope="session")
def corpus() -> list[Run]:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} not present")
    runs = []
    for path in sorted(CORPUS.glob("*/*.y*ml")):
        text = path.read_bytes().decode("utf-8")
        result = _retrofit(path.name, text)
        again = _retrofit(path.name, result.new) if result.new is not None else None
        runs.append(Run(path.name, path.parent.name, text, result, again))
    return runs


def test_corpus_is_all_there(corpus: list[Run]) -> None:
    assert Counter(r.group for r in corpus) == {"static-keys": 32, "ecr-push": 27,
                                                "oidc-already": 17}  # fmt: skip
    assert all(r.result.error is None for r in corpus)


def test_1_files_needing_no_change_are_not_rewritten(corpus: list[Run]) -> None:
    for run in corpus:
        if run.group == "oidc-already" or not MENTIONS_KEYS.search(run.before):
            assert run.result.new is None, run.name


def test_2_every_changed_line_belongs_to_a_fix(corpus: list[Run]) -> None:
    changed = [r for r in corpus if r.result.new is not None]
    assert len(changed) >= 40  # most static-key and ECR files are migrated
    for run in changed:
        assert line_problems(run.before, run.after) == [], run.name


def test_3_a_second_run_changes_nothing(corpus: list[Run]) -> None:
    for run in corpus:
        assert run.again is None or run.again.new is None, run.name


def test_4_actionlint_finds_nothing_new(corpus: list[Run], tmp_path: Path) -> None:
    changed = [r for r in corpus if r.result.new is not None]
    before, after = tmp_path / "before", tmp_path / "after"
    for folder, attr in ((before, "before"), (after, "after")):
        folder.mkdir()
        for run in changed:
            (folder / run.name).write_bytes(getattr(run, attr).encode("utf-8"))
    old = Counter(actionlint(sorted(before.iterdir())))
    new = Counter(actionlint(sorted(after.iterdir())))
    assert new - old == Counter()
    assert sum(new.values()) > 0  # sanity: the tool ran and saw things


def test_zizmor_finds_no_new_kind_of_problem(corpus: list[Run], tmp_path: Path) -> None:
    changed = [r for r in corpus if r.result.new is not None]
    for folder, attr in (("before", "before"), ("after", "after")):
        workflows = tmp_path / folder / ".github" / "workflows"
        workflows.mkdir(parents=True)
        for run in changed:
            (workflows / run.name).write_bytes(getattr(run, attr).encode("utf-8"))
    old, new = zizmor(tmp_path / "before"), zizmor(tmp_path / "after")
    assert new - old == set()
    assert new  # sanity: zizmor ran and reported its usual findings


def test_5_data_is_the_old_data_plus_the_intended_change(corpus: list[Run]) -> None:
    for run in corpus:
        before, after = load(run.before), load(run.after)
        assert normalise(before) == normalise(after, before=before), run.name
        assert permission_problems(before, after) == [], run.name


def test_6_no_static_key_is_left_without_a_reason(corpus: list[Run]) -> None:
    unexplained = []
    for run in corpus:
        left = key_usages(load(run.after))
        reasons = {f.job for f in run.result.skipped}
        unexplained += [f"{run.name}: {u}" for u in left
                        if not (None in reasons or u.split()[1] in reasons)]  # fmt: skip
    assert unexplained == []
    static = [r for r in corpus if r.group == "static-keys"]
    assert all(r.result.fixes or r.result.skipped for r in static)


@pytest.fixture(scope="session")
def dataset() -> list[tuple[str, str, FileResult]]:
    if not DATASET.is_file():
        pytest.skip(f"{DATASET} not present")
    runs = []
    with zipfile.ZipFile(DATASET) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            runs.append((name, text, _retrofit(name, text)))
    return runs


def test_dataset_never_crashes_and_keeps_keyless_files(dataset: list) -> None:  # type: ignore[type-arg]
    assert len(dataset) == 1503
    for name, text, result in dataset:
        if result.error is not None:
            assert result.error.startswith("malformed YAML"), (name, result.error)
        elif not MENTIONS_KEYS.search(text):
            assert result.new is None, name
    changed = [(n, t, r) for n, t, r in dataset if r.new is not None]
    assert len(changed) >= 15
    for name, text, result in changed:
        assert result.new is not None
        assert line_problems(text, result.new) == [], name
        assert _retrofit(name, result.new).new is None, name
        before, after = load(text), load(result.new)
        assert normalise(before) == normalise(after, before=before), name


EXPRESSION = "${{ vars.AWS_ROLE_ARN }}"
EXPRESSION_OPTIONS = Options(role_arn=EXPRESSION, region="us-east-1")


@pytest.fixture(scope="session")
def expression_corpus(corpus: list[Run]) -> list[tuple[Run, str]]:
    """The whole corpus as one repository, retrofitted with a role from a variable: each run
    with the literal-ARN result, and the new text (the old text when unchanged)."""
    texts = {f".github/workflows/{r.group}--{r.name}": r.before for r in corpus}
    result = retrofit_texts(texts, EXPRESSION_OPTIONS)
    by_path = {f.path: f for f in result.files}
    found = []
    for run in corpus:
        file = by_path[f".github/workflows/{run.group}--{run.name}"]
        assert file.error is None, run.name
        found.append((run, file.new if file.new is not None else run.before))
    return found


def test_expression_role_migrates_every_file_the_arn_did(
    expression_corpus: list[tuple[Run, str]],
) -> None:
    migrated = [
        (r, new) for r, new in expression_corpus if r.group == "static-keys" and r.result.new
    ]
    assert len(migrated) >= 20
    for run, new in migrated:
        assert new != run.before, run.name
        assert f"role-to-assume: {EXPRESSION}" in new, run.name
        assert ROLE not in new, run.name


def test_expression_role_actionlint_never_worse_and_second_run_idle(
    expression_corpus: list[tuple[Run, str]], tmp_path: Path
) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for folder in (before, after):
        folder.mkdir()
    for run, new in expression_corpus:
        (before / f"{run.group}--{run.name}").write_bytes(run.before.encode("utf-8"))
        (after / f"{run.group}--{run.name}").write_bytes(new.encode("utf-8"))
    old = Counter(actionlint(sorted(before.iterdir())))
    now = Counter(actionlint(sorted(after.iterdir())))
    assert now - old == Counter()
    texts = {f".github/workflows/{p.name}": p.read_text(encoding="utf-8") for p in after.iterdir()}
    assert retrofit_texts(texts, EXPRESSION_OPTIONS).changed == []


def test_dataset_with_an_expression_role_never_crashes() -> None:
    if not DATASET.is_file():
        pytest.skip(f"{DATASET} not present")
    options = Options(role_arn="${{ secrets.AWS_ROLE_TO_ASSUME }}", region="us-east-1")
    changed = 0
    with zipfile.ZipFile(DATASET) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            result = retrofit_texts({f".github/workflows/{name}": text}, options).files[0]
            if result.error is not None:
                assert result.error.startswith("malformed YAML"), (name, result.error)
            elif result.new is not None:
                changed += 1
                assert "role-to-assume: ${{ secrets.AWS_ROLE_TO_ASSUME }}" in result.new, name
    assert changed >= 15
