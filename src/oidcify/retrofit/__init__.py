"""``oidcify retrofit``: static AWS keys in GitHub Actions workflows become OIDC, by minimal text
edits spliced into the original files (every other byte stays as it was).

Entry points return plain, picklable results and never write: ``retrofit_repo(root, options)``
reads a checkout, ``retrofit_texts(files, options)`` works on texts. ``write(result)`` applies a
result atomically. Fix, skip and warning IDs are listed in ``codes``.

The names below are loaded on first use, so that importing a light submodule (``codes``,
``result``) does not load the engine and ruamel.yaml: ``oidcify batch``'s parent process
stays small while its workers do the work.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oidcify.retrofit.engine import retrofit_repo, retrofit_texts
    from oidcify.retrofit.options import Options
    from oidcify.retrofit.result import FileResult, Finding, JobClaims, RepoResult

__all__ = [
    "FileResult",
    "Finding",
    "JobClaims",
    "Options",
    "RepoResult",
    "retrofit_repo",
    "retrofit_texts",
]

_HOMES = {
    "retrofit_repo": "engine",
    "retrofit_texts": "engine",
    "Options": "options",
    "FileResult": "result",
    "Finding": "result",
    "JobClaims": "result",
    "RepoResult": "result",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"oidcify.retrofit.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'oidcify.retrofit' has no attribute {name!r}")
