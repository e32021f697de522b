"""Finding source files: which files under the given paths are sources, and which are not.

:func:`find_sources` is the one discovery of a build: the pipeline stamps the files it found
(the quick no-change check) and then reads the same files (:func:`geo.ingest.read.read_sources`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, Field

from geo.errors import SourceError
from geo.models import SourceRecord

#: Suffixes read as plain text (with optional front matter) and as HTML.
TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SOURCE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


class FoundSources(BaseModel):
    """What :func:`find_sources` found: source files, and the paths that gave none."""

    files: list[Path] = Field(default_factory=list, description="Sorted, unique.")
    skipped: list[SourceRecord] = Field(
        default_factory=list, description="Paths that are missing or not a source type."
    )
    warnings: list[str] = Field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether every path given was usable (a file of a source type, or a folder)."""
        return not self.skipped


def find_sources(
    paths: Iterable[str | Path] | str | Path, *, exclude: Iterable[str | Path] = ()
) -> FoundSources:
    """The source files under ``paths``; never raises for a bad path.

    A missing path or a file of another type is listed in ``skipped`` (with a warning), a
    folder without sources gets a warning. Folders under ``exclude`` are not searched.
    """
    if isinstance(paths, str | Path):
        paths = [paths]  # one path, not a sequence of characters
    exclude = list(exclude)
    found = FoundSources()
    files: list[Path] = []
    for p in paths:
        try:
            in_p = discover([p], exclude=exclude)
        except SourceError as exc:
            found.warnings.append(str(exc))
            found.skipped.append(SourceRecord(path=str(p), status="skipped", reason=exc.reason))
            continue
        if not in_p:
            found.warnings.append(
                str(SourceError(str(p), "no .txt, .md or .html files found in this folder"))
            )
        files.extend(in_p)
    found.files = sorted(dict.fromkeys(files), key=lambda f: f.as_posix())
    return found


def discover(
    paths: Iterable[str | Path] | str | Path, *, exclude: Iterable[str | Path] = ()
) -> list[Path]:
    """Source files under ``paths`` (files, or folders searched recursively), sorted, unique.

    Hidden files and folders (``.cache``, ``.git``) are ignored inside folders, and so is
    anything under ``exclude`` (the output folder: its map.html is not a source); a file named
    explicitly is always taken if its suffix is a source suffix. Raises :class:`SourceError`
    for a missing path or a file of another type.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    skip = [Path(e).resolve() for e in exclude]
    found: dict[Path, None] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for f in _files_under(p, skip):
                found.setdefault(f, None)
        elif p.is_file():
            if p.suffix.lower() not in SOURCE_SUFFIXES:
                raise SourceError(
                    str(p),
                    f"unsupported file type {p.suffix or '(none)'!r}; use .txt, .md, .html or .htm",
                )
            found.setdefault(p, None)
        else:
            raise SourceError(str(p), "no such file or folder")
    return sorted(found, key=lambda f: f.as_posix())


def _suffix(name: str) -> str:
    """``Path(name).suffix``, lower-cased."""
    i = name.rfind(".")
    return name[i:].lower() if 0 < i < len(name) - 1 else ""


def _files_under(folder: Path, skip: list[Path]) -> Iterator[Path]:
    """The source files ``folder.rglob("*")`` finds (symlinked files are followed, symlinked
    folders are not entered), without hidden names and what resolves into ``skip``.

    One ``os.scandir`` per folder: the entries know their type, so a file costs no stat, and
    a folder's real path is resolved once for all its files instead of once per file.
    """
    stack = [folder]
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = list(it)
        except PermissionError:  # as rglob: an unreadable folder is passed over
            continue
        d_skipped: bool | None = None
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.is_symlink():
                    stack.append(d / name)
                continue
            if _suffix(name) not in SOURCE_SUFFIXES:
                continue
            f = d / name
            try:
                is_file = entry.is_file()
            except OSError:
                is_file = f.is_file()  # False for a symlink loop, as before
            if not is_file:
                continue
            if skip:
                if entry.is_symlink():
                    if _under(f.resolve(), skip, self_too=False):
                        continue
                else:
                    if d_skipped is None:
                        d_skipped = _under(d.resolve(), skip, self_too=True)
                    if d_skipped:
                        continue
            yield f


def _under(resolved: Path, skip: list[Path], *, self_too: bool) -> bool:
    """Whether any of ``skip`` is an ancestor of ``resolved`` (or ``resolved`` itself)."""
    return any((self_too and e == resolved) or e in resolved.parents for e in skip)
