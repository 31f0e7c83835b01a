"""Role templates and the roles CSV of ``oidcify batch`` (``oidcify.batch.roles``)."""

from __future__ import annotations

import pytest

from oidcify.batch.roles import RoleSource, parse_csv, parse_name_template, parse_template
from oidcify.errors import InputError

ACCOUNT = "arn:aws:iam::123456789012:role"


def test_template_placeholders() -> None:
    source = RoleSource(parse_template(f"{ACCOUNT}/ci/{{owner}}-{{repo}}-{{name}}"))
    assert source.render("dir", ("Octo", "app")) == f"{ACCOUNT}/ci/Octo-app-dir"
    by_name = RoleSource(parse_template(f"{ACCOUNT}/gha-{{name}}"))
    assert by_name.render("dir", None) == f"{ACCOUNT}/gha-dir"  # no GitHub name needed
    with pytest.raises(InputError, match="cannot tell the GitHub repository"):
        source.render("dir", None)
    assert RoleSource().render("dir", ("o", "r")) is None


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (f"{ACCOUNT}/{{team}}", "unknown placeholder {team}"),
        (f"{ACCOUNT}/{{repo!r}}", "unknown placeholder {repo}"),
        (f"{ACCOUNT}/{{repo:>9}}", "unknown placeholder {repo}"),
        (f"{ACCOUNT}/{{0}}", "unknown placeholder {0}"),
        (f"{ACCOUNT}/{{repo", "expected '}' before end of string"),
        ("arn:aws:iam::1234:role/{repo}", "'arn:aws:iam::1234:role/app' is not valid"),
    ],
)
def test_bad_templates(template: str, message: str) -> None:
    with pytest.raises(InputError, match="--role-arn") as err:
        parse_template(template)
    assert message in str(err.value)


def test_rendered_name_is_checked() -> None:
    source = RoleSource(parse_template(f"{ACCOUNT}/{{name}}"))
    with pytest.raises(InputError, match="is not valid"):
        source.render("has space", None)
    with pytest.raises(InputError, match="has 65 characters; IAM role names are at most 64"):
        source.render("x" * 65, None)
    with pytest.raises(InputError, match="is not valid"):  # too long and a bad character
        source.render("x" * 64 + " ", None)


def test_csv_rows_and_lookup() -> None:
    rows = parse_csv(
        "repo, role_arn ,region\n"
        f"Octo/App,{ACCOUNT}/a,\n"
        f"checkout-dir,{ACCOUNT}/b,eu-west-1\n"
        "\n"
        ",,\n",
        "roles.csv",
    )
    source = RoleSource(f"{ACCOUNT}/default", rows)
    assert source.lookup("whatever", ("octo", "app")).role_arn == f"{ACCOUNT}/a"  # type: ignore[union-attr]
    row = source.lookup("checkout-dir", ("other", "repo"))
    assert row is not None and (row.role_arn, row.region) == (f"{ACCOUNT}/b", "eu-west-1")
    assert source.lookup("elsewhere", ("other", "repo")) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,role\nx,y\n", "roles.csv:1: the header row must name the columns repo, role_arn"),
        (f"repo,role_arn,owner\nx,{ACCOUNT}/a,o\n", "roles.csv:1: the header row"),
        ("repo,role_arn\nx,arn:aws:iam::1:role/a\n", "roles.csv:2: role_arn: 'arn:aws:iam::1:"),
        (f"repo,role_arn\n-x/y,{ACCOUNT}/a\n", "roles.csv:2: repo: '-x' is not valid"),
        (f"repo,role_arn\n,{ACCOUNT}/a\n", "roles.csv:2: repo: empty repo"),
        (
            f"repo,role_arn,region\nx,{ACCOUNT}/a,cn-north-1\n",
            "roles.csv:2: region: region cn-north-1 is in partition aws-cn, the role in aws",
        ),
        (f"repo,role_arn,region\nx,{ACCOUNT}/a,mars-1\n", "roles.csv:2: region: unknown region"),
        (
            f"repo,role_arn\no/r,{ACCOUNT}/a\nO/R,{ACCOUNT}/b\n",
            "roles.csv:3: o/r is listed twice (first at roles.csv:2)",
        ),
        # a column named twice: a dict reader would keep the last one
        (
            f"repo,role_arn,repo\no/r,{ACCOUNT}/a,o/x\n",
            "roles.csv:1: the header row must name the columns repo, role_arn and optionally "
            "region and selector, each once; more than once: repo",
        ),
        (f"repo,role_arn,\no/r,{ACCOUNT}/a,\n", "roles.csv:1: the header row must name"),
        (
            f"repo,role_arn\no/r,{ACCOUNT}/a\no/s,{ACCOUNT}/b,eu-west-1\n",
            "roles.csv:3: 3 cell(s), the header has 2 (repo, role_arn); quote a value",
        ),
        (
            f"repo,role_arn,region\no/r,{ACCOUNT}/a\n",
            "roles.csv:2: 2 cell(s), the header has 3 (repo, role_arn, region)",
        ),
        ("", "roles.csv:1: the header row must name the columns repo, role_arn"),
        ("repo,role_arn\n\n", "roles.csv: no rows under the header"),
        (f'repo,role_arn\n"o/r"x,{ACCOUNT}/a\n', "roles.csv:2: not CSV: "),
    ],
)
def test_bad_csv_names_file_line_and_column(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_csv(text, "roles.csv")
    assert str(err.value).startswith(message), str(err.value)


def test_rows_no_checkout_matches() -> None:
    from oidcify.batch.roles import unmatched

    rows = parse_csv(
        f"repo,role_arn\nAcme/Alpha,{ACCOUNT}/a\nalpah,{ACCOUNT}/b\nbeta,{ACCOUNT}/c\n"
        f"acme/gone,{ACCOUNT}/d\n",
        "roles.csv",
    )
    checkouts = [("alpha", ("acme", "alpha")), ("beta", None), ("gamma", ("acme", "gamma"))]
    assert [(key, row.where) for key, row in unmatched(rows, checkouts)] == [
        ("alpah", "roles.csv:3"),
        ("acme/gone", "roles.csv:5"),
    ]


def test_rows_matching_one_checkout_with_different_roles_or_regions_conflict() -> None:
    from oidcify.batch.roles import conflicting

    rows = parse_csv(
        "repo,role_arn,region\n"
        f"Acme/Alpha,{ACCOUNT}/a,eu-west-1\n"
        f"alpha,{ACCOUNT}/a,us-east-1\n"  # same role, another region
        f"beta,{ACCOUNT}/b,\n"
        f"acme/beta,{ACCOUNT}/b,\n"  # the same row twice over: no conflict
        f"gamma,{ACCOUNT}/g,\n",
        "r.csv",
    )
    checkouts = [
        ("alpha", ("acme", "alpha")),
        ("beta", ("acme", "beta")),
        ("gamma", ("acme", "other")),
        ("delta", None),
    ]
    found = [(d, a.where, b.where) for d, a, b in conflicting(rows, checkouts)]
    assert found == [("alpha", "r.csv:2", "r.csv:3")]


@pytest.mark.parametrize(
    ("cell_row", "field", "shown"),
    [
        ("al\x00pha,{arn}", "r.csv:2: repo", r"'al\x00pha'"),
        ("acme/al\x1bpha,{arn}", "r.csv:2: repo", r"'acme/al\x1bpha'"),
        ("alpha,{arn}\x07", "r.csv:2: role_arn", r"'arn:aws:iam::123456789012:role/a\x07'"),
    ],
)
def test_a_control_character_in_a_cell_is_refused_and_shown_escaped(
    cell_row: str, field: str, shown: str
) -> None:
    text = "repo,role_arn\r\n" + cell_row.format(arn=f"{ACCOUNT}/a") + "\r\n"
    with pytest.raises(InputError) as exc:
        parse_csv(text, "r.csv")
    assert exc.value.field == field
    assert exc.value.message.startswith(shown + " holds a control character")
    assert not any(c in exc.value.message for c in "\x00\x1b\x07")


def test_a_control_character_in_the_header_is_shown_escaped() -> None:
    with pytest.raises(InputError) as exc:
        parse_csv(f"repo,ro\x01le_arn\nalpha,{ACCOUNT}/a\n", "r.csv")
    assert exc.value.message.endswith(r"unknown: 'ro\x01le_arn'")


def test_a_csv_that_is_not_utf8_names_the_line_and_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from oidcify.batch.roles import read_csv

    path = tmp_path / "roles.csv"
    path.write_bytes(f"\ufeffrepo,role_arn\nalpha,{ACCOUNT}/a\nb\xe9ta,{ACCOUNT}/b\n".encode()
                     .replace("é".encode(), b"\xe9"))  # fmt: skip
    with pytest.raises(InputError) as exc:
        read_csv(str(path))
    assert exc.value.field == "--roles-csv"
    assert exc.value.message == (
        f"{path}: not UTF-8: byte 0xe9 at line 3, column 2; save the file as UTF-8"
    )
    path.write_bytes(f"\ufeffrepo,role_arn\r\nalpha,{ACCOUNT}/a\r\n".encode())
    assert read_csv(str(path))["alpha"].role_arn == f"{ACCOUNT}/a"


def test_expression_template_is_taken_as_it_is() -> None:
    expression = "${{ vars.AWS_ROLE_ARN }}"
    source = RoleSource(parse_template(expression), role_name=parse_name_template("gha-{repo}"))
    assert source.render("dir", ("octo", "app")) == expression
    assert source.render("dir", None) == expression  # no GitHub name needed
    assert source.name_for("dir", ("octo", "app")) == "gha-app"
    assert source.name_for("dir", None) is None
    with pytest.raises(InputError) as err:
        parse_template("arn:aws:iam::123456789012:role/${{ vars.X }}")
    assert str(err.value).startswith(
        "--role-arn: 'arn:aws:iam::123456789012:role/${{ vars.X }}' is not a role; allowed:"
    )
    with pytest.raises(InputError, match=r"--role-name: unknown placeholder \{team\}"):
        parse_name_template("gha-{team}")


def test_csv_selector_rows_join_their_repository() -> None:
    rows = parse_csv(
        "repo,role_arn,selector\n"
        f"o/r,{ACCOUNT}/dev,environment:dev\n"
        f"o/r,{ACCOUNT}/default,\n"
        f"o/r,${{{{ vars.PROD }}}},secret:aws_key\n",
        "roles.csv",
    )
    row = rows["o/r"]
    assert row.role_arn == f"{ACCOUNT}/default" and row.where == "roles.csv:3"
    assert row.role_for == (
        ("environment:dev", f"{ACCOUNT}/dev"),
        ("secret:AWS_KEY", "${{ vars.PROD }}"),
    )
    with pytest.raises(InputError, match=r"roles.csv:3: o/r environment:dev is listed twice"):
        parse_csv(
            f"repo,role_arn,selector\no/r,{ACCOUNT}/a,environment:dev\n"
            f"o/r,{ACCOUNT}/b,environment:dev\n",
            "roles.csv",
        )
    with pytest.raises(InputError, match=r"roles.csv:2: 'team:x' is not a selector"):
        parse_csv(f"repo,role_arn,selector\no/r,{ACCOUNT}/a,team:x\n", "roles.csv")
