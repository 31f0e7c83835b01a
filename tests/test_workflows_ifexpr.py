"""GitHub ``if:`` conditions read three-valued: a run is ruled out only when its condition is
false whatever the unknowns (secrets, inputs, outputs ...) hold."""

from __future__ import annotations

import pytest

from oidcify.workflows.ifexpr import Facts, may_run, parse

PUSH_MAIN = Facts("push", "refs/heads/main", None, "octo-org/app")
PUSH_TAGS = Facts("push", "refs/tags/*", None, "octo-org/app")
FORK_PR = Facts("pull_request", "refs/pull/*/merge", True, "octo-org/app")
SAME_PR = Facts("pull_request", "refs/pull/*/merge", False, "octo-org/app")
UNKNOWN = Facts()


@pytest.mark.parametrize(
    ("condition", "facts", "runs"),
    [
        (None, FORK_PR, True),
        ("github.event_name == 'push'", FORK_PR, False),
        ("github.event_name == 'PUSH'", PUSH_MAIN, True),  # comparisons ignore case
        ("${{ github.event_name != 'pull_request' }}", FORK_PR, False),
        ("github.event_name == 'push'", UNKNOWN, True),
        ("github.event.pull_request.head.repo.full_name == github.repository", FORK_PR, False),
        ("github.event.pull_request.head.repo.full_name == github.repository", SAME_PR, True),
        ("!github.event.pull_request.head.repo.fork", FORK_PR, False),
        ("github.event.pull_request.head.repo.fork == false", SAME_PR, True),
        (
            "github.event_name == 'push' || !github.event.pull_request.head.repo.fork",
            FORK_PR,
            False,
        ),
        (
            "github.event_name == 'push' || !github.event.pull_request.head.repo.fork",
            PUSH_MAIN,
            True,
        ),
        ("github.ref == 'refs/heads/main'", PUSH_TAGS, False),
        ("github.ref == 'refs/heads/main'", Facts("push", "refs/heads/*"), True),
        ("startsWith(github.ref, 'refs/tags/')", Facts("push", "refs/heads/*"), False),
        ("startsWith(github.ref, 'refs/tags/v')", PUSH_TAGS, True),
        ("github.ref_type == 'tag'", PUSH_MAIN, False),
        ("github.ref_name == 'main' && secrets.TOKEN != ''", PUSH_MAIN, True),
        ("github.ref_name == 'develop' && secrets.TOKEN != ''", PUSH_MAIN, False),
        ("success() && inputs.deploy", PUSH_MAIN, True),
        ("always()", FORK_PR, True),
        ("failure()", PUSH_MAIN, True),
        # status functions hang on other jobs' results: a rollback job runs when deploy fails
        ("${{ !success() }}", PUSH_MAIN, True),
        ("success() == false", PUSH_MAIN, True),
        ("!failure()", PUSH_MAIN, True),
        ("cancelled()", PUSH_MAIN, True),
        ("!cancelled() && failure()", PUSH_MAIN, True),
        ("!success() && github.event_name == 'push'", SAME_PR, False),  # known parts decide
        ("!always()", PUSH_MAIN, False),
        # a pull request's ref_name is N/merge, not the ref
        ("endsWith(github.ref_name, '/merge')", SAME_PR, True),
        ("github.ref_name == '42/merge'", SAME_PR, True),
        ("github.ref_name == 'main'", SAME_PR, False),
        # a filter turned into a pattern (tags: ['v[0-9]+.[0-9]+.[0-9]+'] is refs/tags/v*)
        ("contains(github.ref, 'refs/tags/v1.')", Facts("push", "refs/tags/v*"), True),
        ("github.ref == 'refs/tags/v1.2.3'", Facts("push", "refs/tags/v*"), True),
        ("github.ref_name == 'v1.2.3'", Facts("push", "refs/tags/v*"), True),
        ("github.ref == 'refs/tags/w1'", Facts("push", "refs/tags/v*"), False),
        ("${{ false }} && ${{ false }}", PUSH_MAIN, True),  # text around expressions: true
        ("false", PUSH_MAIN, False),
        ("0", PUSH_MAIN, False),
        ("'' || null", PUSH_MAIN, False),
        ("github.event.pull_request.head.repo.fork", PUSH_MAIN, False),  # null outside PRs
        ("github.repository == 'other/repo'", PUSH_MAIN, False),
        ("contains(github.event.head_commit.message, '[skip]')", PUSH_MAIN, True),
        ("this is ( not an expression", PUSH_MAIN, True),
        # a pull request's ref is refs/pull/N/merge; its payload has the pull request
        ("!contains(github.ref, 'refs/pull/')", SAME_PR, False),
        ("!contains(github.ref, 'refs/pull/')", Facts("push", "refs/heads/*"), True),
        ("contains(github.ref, 'main')", Facts("push", "refs/heads/*"), True),
        ("endsWith(github.ref, '/main')", SAME_PR, False),
        ("endsWith(github.ref, '/main')", Facts("push", "refs/heads/*"), True),
        ("endsWith(github.ref, 'e')", SAME_PR, True),
        ("!github.event.pull_request", SAME_PR, False),
        ("!github.event.pull_request", PUSH_MAIN, True),
        ("github.head_ref == ''", SAME_PR, False),
        ("github.base_ref == 'main'", SAME_PR, True),
        ("github.head_ref == github.base_ref", SAME_PR, True),  # a fork's main into main
        ("github.head_ref == ''", PUSH_MAIN, True),
    ],
)
def test_may_run(condition: str | None, facts: Facts, runs: bool) -> None:
    assert may_run(condition, facts) is runs


def test_unreadable_conditions_are_unknown_not_errors() -> None:
    assert parse("github.event_name == ") == ("unknown",)
    assert parse("fromJSON(needs.a.outputs.b)[0] == 'x'")[0] == "op"
