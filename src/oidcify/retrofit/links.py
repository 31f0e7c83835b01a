"""Workflow files that are symlinks to a file inside the repository.

GitHub runs each link as a workflow of its own, but there is one file to change. It is planned
once, under one of the names GitHub knows it by (the real file's own when that is a workflow
too, else the first link), and reported, diffed and written under the real file's path: ``git
apply`` and ``git add`` see a link as a link, so a patch or commit naming the link would fail or
miss the change. Every link itself is reported as left alone (OS012).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from oidcify.retrofit.result import FileResult, Finding


def planned_as(paths: Iterable[str], links: Mapping[str, str]) -> dict[str, str]:
    """For each workflow path, the path its file is planned under (itself, when planned)."""
    chosen: dict[str, str] = {}  # real path -> the workflow path it is planned under
    paths = list(paths)
    for path in sorted(paths, key=lambda p: (p in links, p)):
        chosen.setdefault(links.get(path, path), path)
    return {p: chosen[links.get(p, p)] for p in paths}


def left_alone(path: str, text: str | None, real: str) -> FileResult:
    why = f"symlink to {real}: oidcify reads and changes that file, once, under its own path"
    return FileResult(path, original=text, skipped=[Finding("OS012", 0, why)])


def relocate(results: Mapping[str, FileResult], links: Mapping[str, str]) -> list[FileResult]:
    """The results sorted by path, each planned link's result moved to its real file's path
    and the link reported as left alone."""
    found = []
    for path, result in results.items():
        real = links.get(path)
        if real is not None and not any(f.code == "OS012" for f in result.skipped):
            found.append(left_alone(path, result.original, real))
            result.path = real
        found.append(result)
    return sorted(found, key=lambda r: r.path)
