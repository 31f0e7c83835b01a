"""``oidcify check`` over the shared corpora, read in place from ../shared, with actionlint run
once per corpus: the corpus (static keys, ECR pushes, already on OIDC), actionlint's 84
known-good workflows, and the 1,503 real-world workflows of dataset.zip (extracted to a temporary
folder, since actionlint reads files). The own-rule findings of the corpus and the dataset are
compared with summaries reviewed by hand (fixtures/check/corpus/)."""

from __future__ import annotations

import json
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from check_helpers import run_check
from oidcify.check.findings import Report

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
KNOWN_GOOD = SHARED / "corpus-actionlint-ok"
DATASET = SHARED / "corpus-realworld" / "dataset.zip"
EXPECTED = Path(__file__).parent / "fixtures" / "check" / "corpus"

pytestmark = pytest.mark.slow


def _check(folder: Path) -> Report:
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    return run_check(folder, cwd=folder, use_actionlint=True)


def _summary(report: Report) -> dict[str, dict[str, int]]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for finding in report.findings:
        if finding.source == "oidcify":
            found[finding.path][finding.rule] += 1
    return {path: dict(sorted(rules.items())) for path, rules in sorted(found.items())}


@pytest.fixture(scope="session")
def corpus() -> Report:
    return _check(CORPUS)


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DATASET.is_file():
        pytest.skip(f"{DATASET} not present")
    folder = tmp_path_factory.mktemp("dataset")
    with zipfile.ZipFile(DATASET) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture(scope="session")
def dataset(dataset_dir: Path) -> Report:
    return _check(dataset_dir)


# Keys for S3-compatible storage that is not AWS: they cannot move to OIDC (R2: region auto and
# --endpoint-url).
NOT_AWS = {"ORKL__library__s3.yml"}


def test_static_keys_found_in_every_static_keys_file(corpus: Report) -> None:
    files = sorted(p.name for p in (CORPUS / "static-keys").iterdir())
    with_keys = {f.path.split("/")[-1] for f in corpus.findings if f.rule == "OC102"}
    assert files and [f for f in files if f not in with_keys] == sorted(NOT_AWS)


def test_no_id_token_finding_on_workflows_already_on_oidc(corpus: Report) -> None:
    assert [f for f in corpus.findings if f.rule == "OC101"] == []
    minted = [f for f in corpus.findings if f.path.startswith("oidc-already/")]
    # OC109: a workflow-level id-token grant that reaches test and analysis jobs.
    assert {f.rule for f in minted if f.source == "oidcify"} <= {"OC103", "OC106", "OC109"}


def test_corpus_findings_match_the_reviewed_summary(corpus: Report) -> None:
    expected = json.loads((EXPECTED / "corpus.json").read_text(encoding="utf-8"))
    assert corpus.files == 76
    assert any(f.source == "actionlint" for f in corpus.findings)  # actionlint did run
    assert _summary(corpus) == expected["findings"]


def test_known_good_workflows_give_no_oidcify_finding() -> None:
    report = _check(KNOWN_GOOD)
    assert report.files == 84
    assert [f for f in report.findings if f.source == "oidcify"] == []


def test_realworld_dataset_completes_and_matches_the_reviewed_summary(dataset: Report) -> None:
    expected = json.loads((EXPECTED / "dataset.json").read_text(encoding="utf-8"))
    assert dataset.files == 1503
    assert len([f for f in dataset.findings if f.source == "actionlint"]) > 1000
    assert _summary(dataset) == expected["findings"]


def test_realworld_dataset_with_every_rule_parsing_every_file(dataset_dir: Path) -> None:
    # OC107 (unpinned actions) needs every file's model, so no file is skipped as irrelevant.
    report = run_check(dataset_dir, cwd=dataset_dir, enable=("OC107",))
    assert report.files == 1503
    assert [f for f in report.findings if f.rule == "OC100"] == []
    assert sum(f.rule == "OC107" for f in report.findings) > 1000
