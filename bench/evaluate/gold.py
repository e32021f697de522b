"""Reading an evaluation corpus: the gold models and the predicted toponyms scored against them.

A corpus is a JSON Lines file, one :class:`GoldDocument` a line; ``read_corpus`` skips (and
reports) the lines it cannot read rather than failing the run.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gazetteer.errors import GazetteerDataError


class GoldToponym(BaseModel):
    """One gold toponym; corpus-specific extra fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    name: str = ""
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    type: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


class GoldDocument(BaseModel):
    """One line of an evaluation corpus."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    text: str
    lang: str = "en"
    toponyms: list[GoldToponym] = Field(default_factory=list)


class PredictedToponym(BaseModel):
    """A recognised span and, if resolved, its coordinates."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    place_id: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def corpus_name(path: Path) -> str:
    """``geowebnews.dev.jsonl`` → ``geowebnews``."""
    name = path.name
    for suffix in (".dev.jsonl", ".jsonl"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def read_corpus(path: Path, limit: int | None = None) -> tuple[list[GoldDocument], int]:
    """Read a corpus file; returns the documents and the number of unreadable lines."""
    docs: list[GoldDocument] = []
    errors = 0
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise GazetteerDataError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    with handle:
        for lineno, line in enumerate(handle, start=1):
            if limit is not None and len(docs) >= limit:
                break
            if not line.strip():
                continue
            try:
                docs.append(GoldDocument.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValidationError) as exc:
                errors += 1
                first = str(exc).splitlines()[0]
                click.echo(f"{path}:{lineno}: skipped unreadable line ({first})", err=True)
    return docs, errors
