"""``oidcify.check.vocabulary``: the names a policy writes, as foreign runs would carry them."""

from __future__ import annotations

import json

from oidcify.check import vocabulary
from oidcify.iam import parse_policy

PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
KEY = "token.actions.githubusercontent.com:"


def _read(condition: dict[str, object], effect: str = "Allow") -> vocabulary.Vocabulary:
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": effect, "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition}]}  # fmt: skip
    return vocabulary.read(parse_policy(json.dumps(doc)))


def test_refs_environments_and_events_named_anywhere_are_read() -> None:
    subs = ["repo:o/r:ref:refs/heads/rel-*", "repo:o/r:environment:a%3Ab"]
    words = _read({
        "StringLike": {KEY + "sub": subs},
        "StringNotEquals": {KEY + "ref": "refs/tags/v9", KEY + "event_name": "release"},
    })  # fmt: skip
    assert {"refs/heads/rel-x", "refs/heads/rel-", "refs/tags/v9"} <= set(words.refs)
    assert "a:b" in words.environments
    assert "release" in words.events
    assert set(vocabulary.DEFAULT_REFS) <= set(words.refs)  # also refs no policy names


def test_refs_git_refuses_are_not_read() -> None:
    words = _read({"StringEquals": {KEY + "ref": ["refs/heads/*", "refs/heads/a..b"]}})
    assert not {"refs/heads/*", "refs/heads/a..b"} & set(words.refs)


def test_repositories_named_in_full_by_an_allow_are_not_foreign() -> None:
    words = _read({"StringLike": {KEY + "sub": ["repo:octo-org/lib:*", "repo:*/app:*"],
                                  KEY + "repository": "evil/*"}})  # fmt: skip
    assert words.named == {("octo-org", "lib")}
    assert "app" in words.free_names
    assert {"octo-org", "evil"} <= words.literal_owners
    assert _read({"StringLike": {KEY + "sub": "repo:octo-org/lib:*"}}, "Deny").named == set()


def test_owner_ids_stay_with_their_owner() -> None:
    words = _read({"StringLike": {KEY + "sub": "repo:octo-org@123/*:*"},
                   "StringEquals": {KEY + "repository_owner_id": ["123", "666"]}})  # fmt: skip
    assert words.owner_ids == {"octo-org": 123}
    assert list(words.loose_ids) == [666]
