"""Naming rules for everything a user types: AWS ids and names, GitHub names, refs.

The Copier questions (copier.yml) and the generated Terraform's variable validations enforce the
same rules in their own languages; tests check all three agree on one table of good and bad values.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from oidcify.errors import InputError


class Rule(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """A named pattern plus the sentence that tells a user what is allowed."""

    name: str
    pattern: re.Pattern[str]
    allowed: str

    def ok(self, value: str) -> bool:
        return self.pattern.fullmatch(value) is not None

    def require(self, value: object, field: str | None = None) -> str:
        """Return ``value`` when it follows the rule, else raise one clear InputError."""
        if not isinstance(value, str) or not self.ok(value):
            raise InputError(f"{value!r} is not valid: {self.allowed}", field=field or self.name)
        return value


# Patterns spell out ASCII classes (no \d, \w): Python's are Unicode-aware, Terraform's RE2 is not,
# and the three implementations must agree byte for byte.
AWS_ACCOUNT_ID = Rule(
    "aws_account_id", re.compile(r"[0-9]{12}"), "exactly 12 digits, leading zeros kept"
)
IAM_ROLE_NAME = Rule(
    "iam_role_name",
    re.compile(r"[A-Za-z0-9_+=,.@-]{1,64}"),
    "1-64 characters from letters, digits and + = , . @ _ -",
)
ECR_REPOSITORY = Rule(
    "ecr_repository",
    re.compile(r"(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"),
    "2-256 lowercase letters and digits, separated by single . _ - and optional '/' namespaces",
)
IAM_ROLE_ARN = Rule(
    "role_arn",
    re.compile(
        r"arn:(aws|aws-cn|aws-us-gov):iam::[0-9]{12}:role/"
        r"(?:[A-Za-z0-9_+=,.@-]+/)*[A-Za-z0-9_+=,.@-]{1,64}"
    ),
    "arn:PARTITION:iam::ACCOUNT_ID:role/[PATH/]NAME with a 12-digit account id",
)
GITHUB_OWNER = Rule(
    "github_owner",
    re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"),
    "1-39 letters, digits or single hyphens, not starting or ending with a hyphen",
)
GITHUB_REPO = Rule(
    "github_repo",
    re.compile(r"(?!\.{1,2}$)(?!.*\.git$)[A-Za-z0-9._-]{1,100}"),
    "1-100 letters, digits, '.', '_' or '-', not '.' or '..' and not ending in '.git'",
)
_HOST_PREFIXES = ("https://github.com/", "http://github.com/", "github.com/")

# ``--subject-format``, the same for every command that has it (subjects.SUBJECT_FORMATS maps
# each choice to the forms it means).
SUBJECT_FORMAT_CHOICES = ("legacy", "immutable", "both")
SUBJECT_FORMAT_HELP = (
    "the sub form the repository's tokens carry: legacy (repo:OWNER/REPO), immutable "
    "(repo:OWNER@ID/REPO@ID, needs --owner-id and --repo-id) or both (either may come while "
    "the repository moves: each is judged); default: the form the repository is known to use, "
    "else legacy"
)


def parse_repository(value: str, field: str = "--repo") -> tuple[str, str]:
    """``(owner, name)`` from ``OWNER/REPO``, also written ``github.com/OWNER/REPO`` or as a URL
    (a trailing ``/`` or ``.git`` is dropped), following GitHub's naming rules; anything else
    (a GitLab group path, a typo) is an InputError naming ``field``."""
    text = value.strip()
    for prefix in _HOST_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text.removesuffix("/").removesuffix(".git")
    owner, slash, name = text.partition("/")
    if not slash:
        raise InputError(f"{value!r} is not OWNER/REPO", field=field)
    if not GITHUB_OWNER.ok(owner) or not GITHUB_REPO.ok(name):
        raise InputError(
            f"{value!r} is not OWNER/REPO (OWNER: {GITHUB_OWNER.allowed}; REPO: "
            f"{GITHUB_REPO.allowed})",
            field=field,
        )
    return owner, name


GITHUB_ENVIRONMENT = Rule(
    "deploy_environment",
    re.compile(r"[A-Za-z0-9_.-](?:[A-Za-z0-9_. -]{0,253}[A-Za-z0-9_.-])?"),
    "1-255 letters, digits, spaces, '.', '_' or '-' (no wildcards), "
    "not starting or ending with a space",
)
# A safe subset of git ref names where '*' is the only wildcard: GitHub's filter globs and IAM's
# StringLike agree on '*' within one path segment of these names, and on nothing else.
REF_PATTERN = Rule(
    "ref_pattern",
    re.compile(r"(?!/)(?!.*//)(?!.*\.\.)(?!.*/$)(?!.*\*\*)(?!.*\.lock$)[A-Za-z0-9._/*-]{1,200}"),
    "a git ref name of letters, digits and . _ - /, "
    "with '*' as the only wildcard (no '**', '..', '//')",
)
POSITIVE_INT = Rule("id", re.compile(r"[1-9][0-9]{0,18}"), "a positive whole number")
# A relative path inside the repository: no leading or trailing '/', no empty, '.' or '..' part
# (just '.' alone, the repository root, is allowed).
REPO_PATH = Rule(
    "path",
    re.compile(r"\.|(?!(?:.*/)?\.\.?(?:/|$))(?=.{1,255}$)(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+"),
    "a relative path inside the repository (letters, digits, '.', '_', '-' and '/'), "
    "without '..', './' or a leading or trailing '/'",
)


_ROLE_NAME_CHARS = re.compile(r"[A-Za-z0-9_+=,.@-]+")


def require_role_arn(value: object, field: str) -> str:
    """``IAM_ROLE_ARN.require``, saying so when the one fault is a role name over 64 characters
    (easily made by filling ``{owner}-{repo}`` into a template)."""
    if isinstance(value, str) and not IAM_ROLE_ARN.ok(value):
        name = value.rsplit("/", 1)[-1]
        shorter = value[: len(value) - len(name) + 64]
        if len(name) > 64 and _ROLE_NAME_CHARS.fullmatch(name) and IAM_ROLE_ARN.ok(shorter):
            raise InputError(
                f"{value!r}: the role name has {len(name)} characters; IAM role names are "
                "at most 64",
                field=field,
            )
    return IAM_ROLE_ARN.require(value, field)


def is_wildcard(pattern: str) -> bool:
    """True when IAM's StringLike would treat ``pattern`` as a pattern rather than a literal."""
    return "*" in pattern or "?" in pattern


# The events that trigger workflows (docs.github.com, "Events that trigger workflows"), which a
# run's token carries as its event_name claim. tests/test_names.py has actionlint accept each.
WORKFLOW_EVENTS = (
    "branch_protection_rule", "check_run", "check_suite", "create", "delete", "deployment",
    "deployment_status", "discussion", "discussion_comment", "fork", "gollum", "image_version",
    "issue_comment", "issues", "label", "merge_group", "milestone", "page_build", "public",
    "pull_request", "pull_request_review", "pull_request_review_comment", "pull_request_target",
    "push", "registry_package", "release", "repository_dispatch", "schedule", "status", "watch",
    "workflow_call", "workflow_dispatch", "workflow_run",
)  # fmt: skip


def require_event(value: str, field: str) -> str:
    """``value`` when it names a workflow trigger event, else an InputError with close matches."""
    if value in WORKFLOW_EVENTS:
        return value
    import difflib  # noqa: PLC0415 (only for a name that is wrong)

    close = difflib.get_close_matches(value.lower(), WORKFLOW_EVENTS, n=3, cutoff=0.6)
    hint = (
        f"did you mean {' or '.join(close)}?" if close else "one of: " + ", ".join(WORKFLOW_EVENTS)
    )
    raise InputError(f"{value!r} is not a GitHub workflow event; {hint}", field=field)
