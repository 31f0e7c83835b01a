"""The naming rules and the region list exist three times: oidcify.names / oidcify.aws (Python),
copier.yml's validators (Jinja, via src/oidcify/data/*.jinja) and the generated variables.tf
(Terraform). These tests keep the three in agreement."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import jinja2
import pytest
import yaml

from cases import BASE, REPO, Case, render
from oidcify import aws, names

DATA = REPO / "src" / "oidcify" / "data"
TABLE = yaml.safe_load((REPO / "tests" / "fixtures" / "naming_table.yml").read_text())
# question -> the Python rule; optional questions also accept "", list questions take [value]
RULES = {
    "github_owner": names.GITHUB_OWNER,
    "github_repo": names.GITHUB_REPO,
    "github_owner_id": names.POSITIVE_INT,
    "aws_account_id": names.AWS_ACCOUNT_ID,
    "iam_role_name": names.IAM_ROLE_NAME,
    "ecr_repository": names.ECR_REPOSITORY,
    "deploy_environment": names.GITHUB_ENVIRONMENT,
    "deploy_tag_pattern": names.REF_PATTERN,
    "deploy_branches": names.REF_PATTERN,
}
ROWS = [
    (question, value, verdict == "good")
    for question, values in TABLE.items()
    for verdict in ("good", "bad")
    for value in values[verdict]
]
IDS = [f"{q}-{'good' if ok else 'bad'}-{json.dumps(v)}" for q, v, ok in ROWS]


def _jinja_module(name: str) -> Any:
    env = jinja2.Environment(extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"])
    return env.from_string((DATA / name).read_text()).module


def _answer(question: str, value: str) -> Any:
    return [value] if question == "deploy_branches" else value


def test_table_covers_every_rule_and_is_big_enough() -> None:
    assert set(TABLE) == set(RULES)
    assert sum(not ok for _, _, ok in ROWS) >= 30


def test_copier_rules_are_the_python_rules() -> None:
    copies = _jinja_module("naming.jinja").rules
    python = {**{r.name: r for r in RULES.values()}, "path": names.REPO_PATH}
    python["deploy_environment"] = names.GITHUB_ENVIRONMENT
    for name, (pattern, allowed) in copies.items():
        rule = python[name]
        assert pattern == rf"^(?:{rule.pattern.pattern})\Z", name
        assert allowed == rule.allowed, name
    assert set(copies) == set(python)


def test_copier_regions_are_the_python_regions() -> None:
    module = _jinja_module("aws_regions.jinja")
    assert module.region_partition == {r: p.name for r, p in aws.REGIONS.items()}
    for name, partition in module.partitions.items():
        assert partition["dns_suffix"] == aws.PARTITIONS[name].dns_suffix


def test_terraform_regions_are_the_python_regions(cases: dict[str, Case]) -> None:
    text = (cases["defaults"].terraform_dir / "variables.tf").read_text()
    options = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False)
    variables = hcl2.loads(text, serialization_options=options)["variable"]
    region = next(v["aws_region"] for v in variables if "aws_region" in v)
    condition = region["validation"][0]["condition"]
    listed = json.loads(condition.split("contains(", 1)[1].rsplit(", var.aws_region", 1)[0])
    assert sorted(listed) == sorted(aws.REGIONS)


@pytest.mark.parametrize(("question", "value", "ok"), ROWS, ids=IDS)
def test_python_rules(question: str, value: str, ok: bool) -> None:
    assert RULES[question].ok(value) == ok


BAD_ROWS = [(q, v) for q, v, ok in ROWS if not ok]
# The good values, one answer set per position: question q's n-th good value goes into set n.
GOOD_SETS = [
    {q: _answer(q, values["good"][n]) for q, values in TABLE.items() if n < len(values["good"])}
    for n in range(max(len(values["good"]) for values in TABLE.values()))
]


@pytest.mark.parametrize("index", range(len(GOOD_SETS)))
def test_copier_accepts_the_good_values(index: int, plain_template: Path, tmp_path: Path) -> None:
    answers = GOOD_SETS[index]
    # copier.yml takes both ids or neither: the repository id repeats the owner's good value.
    pair = {"github_repo_id": answers["github_owner_id"]} if "github_owner_id" in answers else {}
    render({**BASE, **answers, **pair}, tmp_path / "out", src=plain_template)
    recorded = yaml.safe_load((tmp_path / "out" / ".copier-answers.yml").read_text())
    assert {q: recorded[q] for q in GOOD_SETS[index]} == GOOD_SETS[index]


@pytest.mark.parametrize(("question", "value"), BAD_ROWS, ids=[json.dumps(r) for r in BAD_ROWS])
def test_copier_refuses_the_bad_values(
    question: str, value: str, plain_template: Path, tmp_path: Path
) -> None:
    answers = {**BASE, question: _answer(question, value)}
    with pytest.raises(
        ValueError, match=rf"Validation error for question '{question}': (?!{question}:)"
    ):
        render(answers, tmp_path / "out", src=plain_template)


def _module(label: str, question: str, value: str) -> str:
    inputs = {**BASE, "aws_region": "us-east-1", "iam_role_name": "r", "ecr_repository": "ab"}
    inputs[question] = _answer(question, value)
    body = "\n".join(f"  {k} = {json.dumps(v)}" for k, v in inputs.items())
    return f'module "{label}" {{\n  source = "./vars"\n{body}\n}}\n'


@pytest.mark.slow
def test_terraform_validations(cases: dict[str, Case], terraform_bin: Path, tmp_path: Path) -> None:
    """Every row as one module instance of the generated variables.tf, checked in one run."""
    (tmp_path / "vars").mkdir()
    shutil.copy(cases["defaults"].terraform_dir / "variables.tf", tmp_path / "vars")
    labels = {f"row{n}": row for n, row in enumerate(ROWS)}
    (tmp_path / "main.tf").write_text("".join(_module(k, q, v) for k, (q, v, _) in labels.items()))
    run = [str(terraform_bin), f"-chdir={tmp_path}"]
    subprocess.run(
        [*run, "init", "-backend=false", "-input=false"], check=True, capture_output=True
    )
    done = subprocess.run([*run, "validate", "-json"], capture_output=True, text=True, check=False)
    refused: dict[str, str] = {}
    for diagnostic in json.loads(done.stdout)["diagnostics"]:
        label = diagnostic["snippet"]["context"].split('"')[1]
        refused[label] = diagnostic["detail"]
    for label, (question, value, ok) in labels.items():
        if ok:
            assert label not in refused, (question, value, refused.get(label))
        else:
            assert refused.get(label, "").startswith(f"{question}: "), (question, value)
