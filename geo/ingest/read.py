"""Reading source files into :class:`~geo.models.Source` models.

A source is a ``.txt``/``.md`` file (plain text with optional YAML front matter) or an
``.html``/``.htm`` page (its article text is extracted). A ``sources.yaml`` in a folder gives
metadata per file name; front matter wins over it, and it wins over what an HTML page says
about itself. The boilerplate spans of the text (:func:`geo.ingest.boilerplate.find_boilerplate`)
are found here, once per source, and kept on it.

Bad input never stops a build: every problem becomes a one-line :class:`~geo.errors.SourceError`
naming the file. Problems that make a file unusable skip it (with the reason); problems that
only lose metadata or need a guess (a non-UTF-8 encoding) keep it and add a warning.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from geo.errors import SourceError
from geo.ingest.boilerplate import find_boilerplate
from geo.ingest.discovery import HTML_SUFFIXES, FoundSources, find_sources
from geo.ingest.html import extract_html
from geo.ingest.manifest import coerce_meta, load_yaml, read_manifest
from geo.models import Source, SourceMeta, SourceRecord, content_hash

#: Files larger than this are skipped unless the caller says otherwise (10 MB is far beyond
#: any news article and keeps a stray data dump from stalling a build).
DEFAULT_MAX_SIZE = 10 * 1024 * 1024

#: Encodings tried, in this order, when a file is not UTF-8: the Russian legacy code pages
#: first, since they are what Russian-language sources come in.
_FALLBACK_ENCODINGS = [
    "cp1251",
    "koi8_r",
    "cp866",
    "iso8859_5",
    "mac_cyrillic",
    "cp1252",
    "latin_1",
]

_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")


class LoadedSources(BaseModel):
    """What :func:`load_sources` found: usable sources, skipped files and warnings."""

    sources: list[Source] = Field(default_factory=list)
    skipped: list[SourceRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- front matter


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any] | None, str, list[str]]:
    """Split YAML front matter from ``text``: (fields or None, body, warnings).

    Broken front matter is dropped from the body (it is not article text) with a warning.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text, []
    body = text[m.end() :]
    try:
        fields = load_yaml(m.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 2}" if mark is not None else ""
        return None, body, [f"{path}: broken YAML front matter{line}; its metadata is ignored"]
    if fields is not None and not isinstance(fields, dict):
        return None, body, [f"{path}: front matter is not a mapping of fields; ignored"]
    return fields, body, []


# --------------------------------------------------------------------------- decoding


#: Control bytes other than tab, newline, form feed and carriage return.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if b"\x00" in head:
        # UTF-16 text has NULs too; a BOM says it is text.
        return not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


def decode(raw: bytes, path: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8, or detect the encoding (charset-normalizer) with a warning."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise SourceError(path, "broken UTF-16 text; re-save it as UTF-8") from exc
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=_FALLBACK_ENCODINGS).best()
    if best is None:
        best = from_bytes(raw).best()
    if best is None:
        raise SourceError(path, "not text in any known encoding; re-save it as UTF-8")
    enc = best.encoding
    return str(best), [f"{path}: not UTF-8, decoded as {enc}; re-save it as UTF-8 to be sure"]


# --------------------------------------------------------------------------- language


def detect_language(text: str) -> str:
    """``ru`` when most letters are Cyrillic, else ``en`` (the two languages supported)."""
    cyr = len(_CYRILLIC.findall(text))
    lat = len(_LATIN.findall(text))
    return "ru" if cyr > lat else "en"


#: Languages recognition supports, and the spellings metadata uses for them.
SUPPORTED_LANGUAGES = ("en", "ru")
_LANGUAGE_ALIASES = {
    "en": "en", "eng": "en", "english": "en", "английский": "en",
    "ru": "ru", "rus": "ru", "russian": "ru", "русский": "ru",
}  # fmt: skip


def normalise_language(given: str | None, text: str, where: str) -> tuple[str, list[str]]:
    """The language code of a source: the given one (``ru-RU``, ``Russian`` → ``ru``) if
    supported, else the detected one, with a warning when a given value was not usable."""
    if not given:
        return detect_language(text), []
    code = _LANGUAGE_ALIASES.get(given.strip().lower().replace("_", "-").split("-")[0])
    if code is not None:
        return code, []
    detected = detect_language(text)
    return detected, [
        f"{where}: language {given!r} is not supported ({', '.join(SUPPORTED_LANGUAGES)}); "
        f"using the detected {detected!r}"
    ]


# --------------------------------------------------------------------------- one file


def source_hash(source: Source) -> str:
    """Content hash of a source's text and metadata (not its path: moving a file keeps it)."""
    payload = source.model_dump_json(exclude={"path", "content_hash"})
    return content_hash(payload)


def _read_bytes(path: Path, where: str, max_size: int | None) -> bytes:
    """The bytes of ``path``, or a SourceError when it is too large or cannot be read."""
    try:
        # One open, then the size of the open file: a stat by name costs as much again.
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        fh = None  # the size test still comes first below, as it always did
    try:
        size = os.fstat(fh.fileno()).st_size if fh is not None else path.stat().st_size
        if max_size is not None and size > max_size:
            raise SourceError(
                where,
                f"{size:,} bytes is over the size limit of {max_size:,}; "
                "raise it with --max-size to include this file",
            )
        return fh.read() if fh is not None else path.read_bytes()
    except OSError as exc:
        raise SourceError(where, f"cannot read: {exc.strerror or exc}") from exc
    finally:
        if fh is not None:
            fh.close()


def _merged_meta(
    where: str,
    html_meta: dict[str, Any],
    manifest_meta: SourceMeta | None,
    file_meta: dict[str, Any],
    warnings: list[str],
) -> dict[str, Any]:
    """The metadata fields of a source: front matter over the manifest over the page's own."""
    merged: dict[str, Any] = {}
    if html_meta:  # (an empty mapping adds nothing: skip its validation)
        html_parsed, w = coerce_meta(html_meta, f"{where} (HTML meta)")
        warnings.extend(w)
        merged.update(html_parsed.model_dump(exclude_none=True))
    if manifest_meta is not None:
        merged.update(manifest_meta.model_dump(exclude_none=True))
    if file_meta:
        try:
            fm_parsed, w = coerce_meta(file_meta, f"{where} (front matter)")
        except SourceError as exc:
            fm_parsed, w = SourceMeta(), [str(exc)]
        warnings.extend(w)
        merged.update(fm_parsed.model_dump(exclude_none=True))
    return merged


def read_source(
    path: Path,
    *,
    source_id: str | None = None,
    manifest_meta: SourceMeta | None = None,
    max_size: int | None = DEFAULT_MAX_SIZE,
) -> tuple[Source, list[str]]:
    """Read one file into a :class:`Source`, with any warnings.

    Raises :class:`SourceError` (one line, naming the file) when the file cannot be used.
    """
    where = str(path)
    raw = _read_bytes(path, where, max_size)
    if not raw.strip():
        raise SourceError(where, "empty file; add the article text or remove the file")
    if _looks_binary(raw):
        raise SourceError(where, "binary file, not text; only .txt, .md and .html are read")
    text, warnings = decode(raw, where)
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    file_meta: dict[str, Any] = {}
    html_meta: dict[str, Any] = {}
    if path.suffix.lower() in HTML_SUFFIXES:
        text, html_meta = extract_html(text)
    else:
        fm, text, w = split_front_matter(text, where)
        warnings.extend(w)
        file_meta = fm or {}

    if not text.strip():
        raise SourceError(where, "no article text found (only front matter or markup)")

    merged = _merged_meta(where, html_meta, manifest_meta, file_meta, warnings)
    language, w = normalise_language(merged.pop("language", None), text, where)
    warnings.extend(w)
    source = Source(
        source_id=source_id or path.stem,
        path=str(path),
        text=text,
        language=language,
        boilerplate=find_boilerplate(text),
        **merged,
    )
    source.content_hash = source_hash(source)  # (the model is not frozen: no copy needed)
    return source, warnings


# --------------------------------------------------------------------------- many files


def _source_ids(files: Sequence[Path]) -> tuple[dict[Path, str], list[str]]:
    """A unique source id per file: the stem, or stem + short path hash on a clash.

    The first file (in sorted path order) keeps the bare stem, so ids are deterministic.
    """
    by_stem: dict[str, list[Path]] = {}
    for f in files:
        by_stem.setdefault(f.stem, []).append(f)
    ids: dict[Path, str] = {}
    warnings: list[str] = []
    for stem, group in by_stem.items():
        ids[group[0]] = stem
        for f in group[1:]:
            digest = hashlib.sha256(f.as_posix().encode("utf-8")).hexdigest()[:8]
            ids[f] = f"{stem}-{digest}"
            warnings.append(
                f"{f}: source id {stem!r} is taken by {group[0]}; using {ids[f]!r} "
                "(rename one file to choose)"
            )
    return ids, warnings


def read_sources(found: FoundSources, *, max_size: int | None = DEFAULT_MAX_SIZE) -> LoadedSources:
    """Read every file :func:`~geo.ingest.discovery.find_sources` found; never raises for a
    bad file. Sources come back sorted by source id."""
    result = LoadedSources(skipped=list(found.skipped), warnings=list(found.warnings))
    ids, w = _source_ids(found.files)
    result.warnings.extend(w)

    manifests: dict[Path, dict[str, SourceMeta]] = {}
    for f in found.files:
        folder = f.parent
        if folder not in manifests:
            manifests[folder], w = read_manifest(folder)
            result.warnings.extend(w)
        try:
            source, w = read_source(
                f,
                source_id=ids[f],
                manifest_meta=manifests[folder].get(f.name),
                max_size=max_size,
            )
        except SourceError as exc:
            result.warnings.append(str(exc))
            result.skipped.append(
                SourceRecord(path=str(f), source_id=ids[f], status="skipped", reason=exc.reason)
            )
            continue
        result.warnings.extend(w)
        result.sources.append(source)
    result.sources.sort(key=lambda s: s.source_id)
    return result


def load_sources(
    paths: Iterable[str | Path] | str | Path,
    *,
    max_size: int | None = DEFAULT_MAX_SIZE,
    exclude: Iterable[str | Path] = (),
) -> LoadedSources:
    """Discover and read every source under ``paths``; never raises for a bad file.

    Unusable files are listed in ``skipped`` with their reason; problems that keep the file
    are in ``warnings``. Folders under ``exclude`` are not searched. Sources come back sorted
    by source id.
    """
    return read_sources(find_sources(paths, exclude=exclude), max_size=max_size)
