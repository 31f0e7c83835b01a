"""The splicing primitives on awkward YAML, and the safety net that re-parses every result."""

from __future__ import annotations

import pytest

from oidcify.retrofit import Options, retrofit_texts
from oidcify.retrofit.layout import CannotEdit, Text, content_end, dash_of
from oidcify.retrofit.patch import Patch, plain
from oidcify.workflows.nodes import MappingNode, SequenceNode, compose, get, get_pair, to_data


def patched(text: str, change) -> str:  # type: ignore[no-untyped-def]
    """Apply ``change(patch, root)`` and check the data against the recorded operations."""
    root = compose(text, "t.yml")
    patch = Patch(Text(text))
    change(patch, root)
    new = patch.apply()
    assert to_data(compose(new, "t.yml")) == patch.expected(to_data(root))
    return new


def test_delete_first_key_of_an_item_pulls_the_next_key_up() -> None:
    text = "steps:\n  - env:\n      A: 1\n    run: x   # keep\n"

    def change(patch: Patch, root: MappingNode) -> None:
        item = get(root, "steps").value[0]  # type: ignore[union-attr]
        patch.delete_pair(item, get_pair(item, "env")[0], ("steps", 0))  # type: ignore[index]

    assert patched(text, change) == "steps:\n  - run: x   # keep\n"


@pytest.mark.parametrize(
    ("key", "expected"),
    [("a", "m: { b: 2 , c: 3 }\n"), ("b", "m: { a: 1, c: 3 }\n"), ("c", "m: { a: 1, b: 2 }\n")],
)
def test_delete_from_a_flow_mapping(key: str, expected: str) -> None:
    def change(patch: Patch, root: MappingNode) -> None:
        mapping = get(root, "m")
        patch.delete_pair(mapping, get_pair(mapping, key)[0], ("m",))  # type: ignore[arg-type, index]

    assert patched("m: { a: 1, b: 2 , c: 3 }\n", change) == expected


def test_add_to_an_empty_flow_mapping_and_a_file_without_final_newline() -> None:
    def change(patch: Patch, root: MappingNode) -> None:
        patch.add_pairs(get(root, "p"), [("id-token", plain("write"))], ("p",))  # type: ignore[arg-type]
        patch.add_pairs(get(root, "q"), [("x", plain("y"))], ("q",))  # type: ignore[arg-type]

    assert patched("p: {}\nq:\n  a: b", change) == "p: {id-token: write}\nq:\n  a: b\n  x: y"


def test_scalar_to_block_keeps_the_comment_and_crlf() -> None:
    def change(patch: Patch, root: MappingNode) -> None:
        key, value = get_pair(root, "permissions")  # type: ignore[misc]
        patch.scalar_to_block(
            key, value, [("a", plain("read")), ("b", plain("write"))], path=("permissions",), unit=2
        )

    text = "permissions: read-all  # why\r\nx: 1\r\n"
    assert patched(text, change) == "permissions:  # why\r\n  a: read\r\n  b: write\r\nx: 1\r\n"


def test_kept_block_scalar_trailing_lines_are_content() -> None:
    text = "a: |+\n  x\n\nb: 1\n"
    root = compose(text, "t.yml")
    assert content_end(Text(text), get(root, "a")) == text.index("b:")  # type: ignore[arg-type]
    clipped = "a: |\n  x\n\nb: 1\n"
    node = get(compose(clipped, "t.yml"), "a")
    assert content_end(Text(clipped), node) == clipped.index("x") + 1  # type: ignore[arg-type]


def test_dash_alone_before_comment_lines() -> None:
    text = "s:\n  -   # first\n    # about it\n    k: v\n"
    seq = get(compose(text, "t.yml"), "s")
    assert isinstance(seq, SequenceNode)
    assert dash_of(Text(text), seq.value[0]) == text.index("-")


def test_overlapping_edits_are_refused() -> None:
    patch = Patch(Text("abcdef"))
    patch.edit(1, 4, "x")
    patch.edit(2, 3, "y")
    with pytest.raises(CannotEdit):
        patch.apply()


def test_inserts_at_one_place_keep_their_order() -> None:
    def change(patch: Patch, root: MappingNode) -> None:
        seq = get(root, "s")
        for name in ("one", "two"):
            patch.insert_item(seq, 1, [("n", plain(name))], path=("s",), unit=2)  # type: ignore[arg-type]

    assert patched("s:\n- n: a\n- n: b\n", change) == "s:\n- n: a\n- n: one\n- n: two\n- n: b\n"


def test_a_result_that_does_not_verify_leaves_the_file_untouched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        "on: push\njobs:\n  j:\n    runs-on: x\n    permissions:\n      id-token: write\n"
        "    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n"
        "          aws-access-key-id: ${{ secrets.K }}\n          aws-secret-access-key: "
        "${{ secrets.S }}\n          aws-region: us-east-1\n"
    )
    real = Patch.apply
    monkeypatch.setattr(Patch, "apply", lambda self: real(self).replace("us-east-1", "us-east-2"))
    result = retrofit_texts({"w.yml": text}, Options("arn:aws:iam::123456789012:role/r"))
    (file,) = result.files
    assert file.new is None and file.fixes == []
    assert [s.code for s in file.skipped] == ["OS010"]
    assert "did not parse to exactly the intended change" in file.skipped[0].message


def test_a_duplicate_key_in_the_original_is_reported_as_the_original_s_problem() -> None:
    text = (
        "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n"
        "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n"
        "          aws-access-key-id: ${{ secrets.K }}\n          aws-secret-access-key: "
        "${{ secrets.S }}\n          aws-region: us-east-1\n          aws-region: us-east-2\n"
    )
    result = retrofit_texts({"w.yml": text}, Options("arn:aws:iam::123456789012:role/r"))
    (file,) = result.files
    assert (file.new, file.error, [s.code for s in file.skipped]) == (None, None, ["OS010"])
    message = file.skipped[0].message
    assert "the original file has a duplicate key 'aws-region' at line 11" in message
    assert "edited file" not in message
    assert result.deletable_secrets == []  # the file keeps its keys
