"""The context part of GitHub's OIDC ``sub`` claim, for one run (``oidcify.subjects`` adds the
repository part). Context rules (GitHub docs, "OpenID Connect reference"): a job that names an
environment gets ``environment:NAME`` whatever triggered it; otherwise a ``pull_request`` run
gets ``pull_request``; otherwise the run's ref, ``ref:refs/heads/B`` or ``ref:refs/tags/T``. A
``:`` inside a value is written as ``%3A`` so the claim stays splittable. Light on purpose (no
dataclasses): ``oidcify check`` reads the runs of a job through it.
"""

from __future__ import annotations

from oidcify.errors import InputError


def encode(value: str) -> str:
    return value.replace(":", "%3A")


def ref_context(ref: str) -> str:
    return f"ref:{encode(ref)}"


def branch_context(branch: str) -> str:
    return ref_context(f"refs/heads/{branch}")


def tag_context(tag: str) -> str:
    return ref_context(f"refs/tags/{tag}")


def environment_context(environment: str) -> str:
    return f"environment:{encode(environment)}"


PULL_REQUEST_CONTEXT = "pull_request"


def context_for(
    *, ref: str | None = None, environment: str | None = None, event: str | None = None
) -> str:
    """The context part of ``sub`` for one run, by GitHub's precedence rules."""
    if environment:
        return environment_context(environment)
    if event == "pull_request":
        return PULL_REQUEST_CONTEXT
    if not ref:
        raise InputError("a ref (refs/heads/... or refs/tags/...) is needed", field="ref")
    return ref_context(ref)
