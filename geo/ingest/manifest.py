"""Source metadata: a folder's ``sources.yaml`` and the validation of metadata fields.

``sources.yaml`` maps file names to metadata (published, language, title, outlet, url). The same
field validation serves front matter (:mod:`geo.ingest.read`) and an HTML page's own metadata: a
bad field is dropped with a one-line warning, the rest is kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from geo.errors import SourceError
from geo.models import SourceMeta

MANIFEST_NAME = "sources.yaml"

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


def load_yaml(text: str) -> Any:
    """Parse metadata YAML (dates stay strings; see :class:`_Loader`)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def coerce_meta(raw: Any, where: str) -> tuple[SourceMeta, list[str]]:
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
        raw = load_yaml(path.read_text(encoding="utf-8"))
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
            meta, w = coerce_meta(entry, f"{path} [{name}]")
        except SourceError as exc:
            warnings.append(str(exc))
            continue
        warnings.extend(w)
        out[str(name)] = meta
    return out, warnings
