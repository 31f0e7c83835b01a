"""``oidcify retrofit``: static AWS keys in GitHub Actions workflows become OIDC, by minimal text
edits spliced into the original files (every other byte stays as it was).

Entry points return plain, picklable results and never write: ``retrofit_repo(root, options)``
reads a checkout, ``retrofit_texts(files, options)`` works on texts. ``write(result)`` applies a
result atomically. Fix, skip and warning IDs are listed in ``codes``.
"""

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
