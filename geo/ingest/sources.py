"""Find source files, read and decode them, and attach their metadata.

A source is a ``.txt``/``.md`` file (plain text with optional YAML front matter) or an
``.html``/``.htm`` page (its article text is extracted). A ``sources.yaml`` in a folder gives
metadata per file name; front matter wins over it, and it wins over what an HTML page says
about itself.

Bad input never stops a build: every problem becomes a one-line :class:`~geo.errors.SourceError`
naming the file. Problems that make a file unusable skip it (with the reason); problems that
only lose metadata or need a guess (a non-UTF-8 encoding) keep it and add a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from geo.errors import SourceError
from geo.ingest.boilerplate import find_boilerplate
from geo.models import Source, SourceMeta, SourceRecord, content_hash

#: Suffixes read as plain text (with optional front matter) and as HTML.
TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SOURCE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MANIFEST_NAME = "sources.yaml"

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
_META_FIELDS = tuple(SourceMeta.model_fields)


#: libyaml's parser when PyYAML was built with it (8x faster on a large sources.yaml).
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """SafeLoader that leaves dates as strings: PyYAML raises on ``2020-13-45`` while
    parsing, which would lose the whole file; pydantic then rejects just that field."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


class LoadedSources(BaseModel):
    """What :func:`load_sources` found: usable sources, skipped files and warnings."""

    sources: list[Source] = Field(default_factory=list)
    skipped: list[SourceRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- discovery


def discover(
    paths: Iterable[str | Path] | str | Path, *, exclude: Iterable[str | Path] = ()
) -> list[Path]:
    """Source files under ``paths`` (files, or folders searched recursively), sorted, unique.

    Hidden files and folders (``.cache``, ``.git``) are ignored inside folders, and so is
    anything under ``exclude`` (the output folder: its map.html is not a source); a file named
    explicitly is always taken if its suffix is a source suffix.
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


# --------------------------------------------------------------------------- metadata


def _coerce_meta(raw: Any, where: str) -> tuple[SourceMeta, list[str]]:
    """Validate a metadata mapping field by field; bad fields are dropped with a warning."""
    if raw is None:
        return SourceMeta(), []
    if not isinstance(raw, dict):
        raise SourceError(where, f"metadata must be a mapping of fields, got {type(raw).__name__}")
    given: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _META_FIELDS:
            continue  # unknown keys are allowed: users keep their own notes in front matter
        if value is None:
            continue
        if key == "published" and isinstance(value, dt.datetime):
            value = value.date()
        elif key != "published":
            value = str(value)
        given[key] = value
    try:
        # Fields are validated independently, so when all are valid together each one is:
        # the field-by-field pass below is needed only to find the bad ones.
        return SourceMeta.model_validate(given), []
    except ValidationError:
        pass
    warnings: list[str] = []
    good: dict[str, Any] = {}
    for key, value in given.items():
        try:
            SourceMeta.model_validate({key: value})
        except ValidationError:
            hint = " (use YYYY-MM-DD)" if key == "published" else ""
            warnings.append(f"{where}: {key} {value!r} is not valid{hint}; ignored")
            continue
        good[key] = value
    return SourceMeta.model_validate(good), warnings


def read_manifest(folder: Path) -> tuple[dict[str, SourceMeta], list[str]]:
    """Read ``folder/sources.yaml``: metadata per file name, plus warnings.

    A broken manifest yields no metadata and one warning; a bad entry or field is dropped.
    """
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}, []
    try:
        raw = _load_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = f" at line {mark.line + 1}"
        return {}, [
            str(SourceError(str(path), f"broken YAML{line}; its metadata is ignored, fix the file"))
        ]
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [
            str(SourceError(str(path), "must map file names to metadata; its metadata is ignored"))
        ]
    out: dict[str, SourceMeta] = {}
    warnings: list[str] = []
    for name, entry in raw.items():
        try:
            meta, w = _coerce_meta(entry, f"{path} [{name}]")
        except SourceError as exc:
            warnings.append(str(exc))
            continue
        warnings.extend(w)
        out[str(name)] = meta
    return out, warnings


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any] | None, str, list[str]]:
    """Split YAML front matter from ``text``: (fields or None, body, warnings).

    Broken front matter is dropped from the body (it is not article text) with a warning.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text, []
    body = text[m.end() :]
    try:
        fields = _load_yaml(m.group(1))
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


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = [
    "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg",
    "button", "select", "figure", "menu", "dialog",
]  # fmt: skip
_DROP_SELECTORS = (
    "[role=navigation], [role=banner], [role=contentinfo], [role=complementary], "
    "[aria-hidden=true], [hidden]"
)
#: Class or id words of page furniture (the readability heuristic): share bars, related-story
#: boxes, comment threads, adverts, cookie banners.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:related|share|sharing|social|comments?|promo|adverts?|advertisement|ads?|"
    r"newsletter|subscribe|subscription|breadcrumbs?|cookies?|consent|sidebar|widget|popular|"
    r"trending|recommended|recommendations|banner|menu|navbar|navigation|tags|paywall|"
    r"most-read|read-more|also-read)(?:$|[\s_-])",
    re.I,
)
_BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td, dd, dt"


def _inside(node: Any, tags: set[str]) -> bool:
    """Whether an ancestor of ``node`` has one of ``tags``."""
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def extract_html(html: str) -> tuple[str, dict[str, Any]]:
    """Article text of an HTML page (scripts, styles, navigation dropped) and its metadata.

    The article is the ``<article>`` or ``<main>`` element where there is one, else the body.
    Block elements become lines, so sentence offsets stay meaningful.
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    meta: dict[str, Any] = {}
    root_node = tree.css_first("html")
    if root_node is not None and root_node.attributes.get("lang"):
        meta["language"] = (root_node.attributes["lang"] or "").split("-")[0].lower()
    for sel, key in (
        ('meta[property="og:title"]', "title"),
        ('meta[property="article:published_time"]', "published"),
        ('meta[name="date"]', "published"),
        ('meta[property="og:site_name"]', "outlet"),
        ('meta[property="og:url"]', "url"),
        ('link[rel="canonical"]', "url"),
    ):
        node = tree.css_first(sel)
        if node is None or key in meta:
            continue
        value = node.attributes.get("content") or node.attributes.get("href")
        if value:
            meta[key] = value[:10] if key == "published" else value
    if "title" not in meta:
        t = tree.css_first("title")
        if t is not None and t.text(strip=True):
            meta["title"] = t.text(strip=True)

    tree.strip_tags(_DROP_TAGS)
    for br in tree.css("br"):
        br.replace_with(" ")  # "Baku<br>Yerevan" is two words, not "BakuYerevan"
    for node in tree.css(_DROP_SELECTORS):
        node.decompose()
    for node in tree.css("header, footer"):
        # A page's header and footer are site furniture; an article's own header holds
        # its headline and dateline, which are text worth keeping. Without <article> to say
        # which is which, a header with a headline-sized <h1> is the article's.
        if _inside(node, {"article", "main"}):
            continue
        h1 = node.css_first("h1") if node.tag == "header" else None
        if h1 is not None and len(h1.text().split()) >= 3:
            continue
        node.decompose()
    body = tree.body
    total = len(body.text()) if body is not None else 0
    for node in tree.css("div, section, ul, ol, span, table"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if not _FURNITURE.search(names) or node.css_first("article, main") is not None:
            continue
        # A wrapper named for its layout ("with-sidebar") may hold the story itself: never
        # drop half of the page's text on the strength of a class name.
        if len(node.text()) * 2 > total:
            continue
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if root is None:
        return "", meta
    lines: list[str] = []
    blocks = root.css(_BLOCKS)
    if blocks:
        for node in blocks:
            # Nested blocks (a <p> in an <li>) would be read twice; keep the innermost.
            if node.css_first(_BLOCKS) is not None and node.tag in {"li", "td", "dd", "blockquote"}:
                continue
            line = " ".join(node.text(separator="").split())
            if line:
                lines.append(line)
    else:
        lines = [" ".join(ln.split()) for ln in root.text(separator="\n").splitlines()]
        lines = [ln for ln in lines if ln]
    return "\n".join(lines), meta


# --------------------------------------------------------------------------- reading


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

    merged: dict[str, Any] = {}
    if html_meta:  # (an empty mapping adds nothing: skip its validation)
        html_parsed, w = _coerce_meta(html_meta, f"{where} (HTML meta)")
        warnings.extend(w)
        merged.update(html_parsed.model_dump(exclude_none=True))
    if manifest_meta is not None:
        merged.update(manifest_meta.model_dump(exclude_none=True))
    if file_meta:
        try:
            fm_parsed, w = _coerce_meta(file_meta, f"{where} (front matter)")
        except SourceError as exc:
            fm_parsed, w = SourceMeta(), [str(exc)]
        warnings.extend(w)
        merged.update(fm_parsed.model_dump(exclude_none=True))

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
    exclude = list(exclude)
    if isinstance(paths, str | Path):
        paths = [paths]  # one path, not a sequence of characters
    result = LoadedSources()
    files: list[Path] = []
    for p in paths:
        try:
            found = discover([p], exclude=exclude)
            if not found:
                result.warnings.append(
                    str(SourceError(str(p), "no .txt, .md or .html files found in this folder"))
                )
            files.extend(found)
        except SourceError as exc:
            result.warnings.append(str(exc))
            result.skipped.append(SourceRecord(path=str(p), status="skipped", reason=exc.reason))
    files = sorted(dict.fromkeys(files), key=lambda f: f.as_posix())
    ids, w = _source_ids(files)
    result.warnings.extend(w)

    manifests: dict[Path, dict[str, SourceMeta]] = {}
    for f in files:
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
