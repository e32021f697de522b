"""The gazetteer's commands: ``conflictmap places`` and ``conflictmap geoparse``.

A thin click layer over :class:`gazetteer.Gazetteer`: library errors become one-line messages
(click.ClickException), everything else is the library's. :mod:`geo.cli.main` registers
:data:`commands` on the main group.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click
from pydantic import BaseModel, Field, ValidationError

from gazetteer.errors import ConflictmapError, PlaceNotFound
from gazetteer.models import Mention, Place
from geo.cli.options import gazetteer_config, gazetteer_options
from geo.text.document import Document

if TYPE_CHECKING:
    from gazetteer.core import Gazetteer
    from geo.models import Source

__all__ = ["commands", "geoparse", "places"]

#: How many candidates ``places --explain`` shows per mention.
EXPLAIN_CANDIDATES = 5


class CandidateRow(BaseModel):
    """One alternative considered for a mention (``--explain``)."""

    place_id: str
    name: str | None = None
    feature_type: str | None = None
    country_code: str | None = None
    score: float
    reasons: list[str] = Field(default_factory=list)


class PlaceRow(BaseModel):
    """One mention as ``conflictmap places --format json`` prints it."""

    source_id: str
    path: str
    start: int
    end: int
    text: str
    lang: str
    kind: str
    place_id: str | None = None
    name: str | None = None
    feature_type: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    confidence: float
    explanation: list[str] | None = None
    candidates: list[CandidateRow] | None = None


class GeoparseInput(BaseModel):
    """One input line of ``conflictmap geoparse``."""

    id: str | int
    text: str
    lang: str | None = None


class Toponym(BaseModel):
    """One recognised place in ``conflictmap geoparse`` output (evaluation format)."""

    start: int
    end: int
    name: str = Field(description="The surface form, text[start:end].")
    lat: float | None = None
    lon: float | None = None
    place_id: str | None = None


class GeoparseOutput(BaseModel):
    """One output line of ``conflictmap geoparse``."""

    id: str | int | None
    toponyms: list[Toponym] = Field(default_factory=list)


def _load(
    boundaries: Path | None,
    name_column: str | None,
    online: bool,
    user_agent: str | None,
    demonyms: bool = False,
    landmark_actors: bool = True,
    streets: bool = False,
) -> Gazetteer:
    """Load the gazetteer, turning library errors into one-line messages."""
    from gazetteer.core import Gazetteer

    config = gazetteer_config(
        boundaries,
        name_column,
        online,
        user_agent,
        demonyms=demonyms,
        landmark_actors=landmark_actors,
        streets=streets,
    )
    try:
        return Gazetteer.load(config)
    except ConflictmapError as exc:
        raise click.ClickException(str(exc)) from exc


def _place(gaz: Gazetteer, place_id: str | None) -> Place | None:
    if place_id is None:
        return None
    try:
        return gaz.get(place_id)
    except PlaceNotFound:
        return None


def _rows(gaz: Gazetteer, source: Source, explain: bool) -> Iterator[PlaceRow]:
    """The mentions of one source, outside its boilerplate, as rows."""
    for m in Document.read(source, gaz).mentions:
        place = _place(gaz, m.place_id)
        row = PlaceRow(
            source_id=source.source_id,
            path=source.path,
            start=m.start,
            end=m.end,
            text=m.text,
            lang=m.lang,
            kind=m.kind,
            place_id=m.place_id,
            name=place.name if place else None,
            feature_type=place.feature_type if place else None,
            country_code=place.country_code if place else None,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            confidence=m.confidence,
        )
        if explain:
            row.explanation = list(m.explanation)
            row.candidates = [_candidate(gaz, c) for c in m.candidates[:EXPLAIN_CANDIDATES]]
        yield row


def _candidate(gaz: Gazetteer, candidate: Any) -> CandidateRow:
    place = _place(gaz, candidate.place_id)
    return CandidateRow(
        place_id=candidate.place_id,
        name=place.name if place else None,
        feature_type=place.feature_type if place else None,
        country_code=place.country_code if place else None,
        score=candidate.score,
        reasons=list(candidate.reasons),
    )


def _print_table(rows: list[PlaceRow], explain: bool) -> None:
    """A table of the mentions; with ``explain``, then one block per mention with the reasons
    and candidates (blocks rather than a column, so they stay readable in a narrow terminal)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table()
    columns = (["#"] if explain else []) + ["source", "span", "text", "place", "type"]
    for col in [*columns, "lat, lon", "conf"]:
        wrap = col in ("text", "place", "lat, lon")
        table.add_column(
            col,
            overflow="fold" if wrap else "ellipsis",
            no_wrap=not wrap,
            max_width=12 if col == "source" else None,
            min_width=8 if wrap else None,
        )
    for n, r in enumerate(rows, start=1):
        place = "[red]unresolved[/red]"
        if r.place_id:
            place = _escape(r.name or "") + (f", {r.country_code}" if r.country_code else "")
        cells = [str(n)] if explain else []
        cells += [_escape(r.source_id), f"{r.start}-{r.end}", _escape(r.text), place]
        cells.append(r.feature_type or "")
        cells.append(f"{r.lat:.4f}, {r.lon:.4f}" if r.lat is not None and r.lon is not None else "")
        cells.append(f"{r.confidence:.2f}")
        table.add_row(*cells)
    console.print(table)
    if not explain:
        return
    for n, r in enumerate(rows, start=1):
        target = f"{r.name} ({r.place_id})" if r.place_id else "unresolved"
        console.print(
            f"[bold]#{n} {_escape(r.text)}[/bold] in {_escape(r.source_id)} "
            f"{r.start}-{r.end} → {_escape(target)}"
        )
        for line in r.explanation or []:
            console.print(f"  why: {_escape(line)}")
        for c in r.candidates or []:
            label = f"{c.name} ({c.feature_type}, {c.country_code})" if c.name else c.place_id
            why = "; ".join(c.reasons)
            text = f"  candidate {c.score:.2f} {label} [{c.place_id}]" + (f": {why}" if why else "")
            console.print(_escape(text))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@click.command(
    epilog="""\b
Examples:
  conflictmap places seeds/000_76d729122949cfe9.txt
  conflictmap places seeds/*.txt --explain
  conflictmap places article.md --format json > mentions.jsonl
"""
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--explain", is_flag=True, help="Show why each place was chosen, and the candidates.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table, or JSON lines (one mention per line).",
)
@click.option(
    "--lang", help="Language of the texts (en, ru); by default from front matter or detected."
)
@gazetteer_options
def places(
    files: tuple[Path, ...],
    explain: bool,
    fmt: Literal["table", "json"],
    lang: str | None,
    boundaries: Path | None,
    name_column: str | None,
    online: bool,
    user_agent: str | None,
) -> None:
    """List the places each FILE mentions, with coordinates and confidence.

    FILE is a .txt or .md article (optional YAML front matter) or an .html page. Mentions in
    boilerplate (footers, link lists, adverts) are left out, as in a build. A file that cannot
    be read gives a one-line error; the others are still listed, and the exit status is 1.
    """
    from geo.ingest import read_source

    gaz = _load(boundaries, name_column, online, user_agent)
    rows: list[PlaceRow] = []
    failed = 0
    for path in files:
        try:
            source, warnings = read_source(path)
        except ConflictmapError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed += 1
            continue
        for warning in warnings:
            click.echo(f"Warning: {warning}", err=True)
        if lang:
            source = source.model_copy(update={"language": lang})
        try:
            file_rows = list(_rows(gaz, source, explain))
        except ConflictmapError as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
        if fmt == "json":
            for row in file_rows:
                click.echo(row.model_dump_json(exclude_none=True))
        else:
            rows.extend(file_rows)
    if fmt == "table":
        _print_table(rows, explain)
    if failed:
        click.get_current_context().exit(1)


def _detect(text: str) -> str:
    from geo.ingest import detect_language

    return detect_language(text)


def _geoparse_line(gaz: Gazetteer, item: GeoparseInput, lang: str | None) -> GeoparseOutput:
    language = item.lang or lang or _detect(item.text)
    mentions: list[Mention] = gaz.geoparse(item.text, lang=language)
    toponyms = []
    for m in mentions:
        place = _place(gaz, m.place_id)
        toponyms.append(
            Toponym(
                start=m.start,
                end=m.end,
                name=item.text[m.start : m.end],
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                place_id=place.place_id if place else None,
            )
        )
    return GeoparseOutput(id=item.id, toponyms=toponyms)


def _salvage_id(line: str) -> str | int | None:
    """The id of a line that failed validation, if it is readable at all."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


@click.command(
    epilog="""\b
Examples:
  conflictmap geoparse articles.jsonl --out toponyms.jsonl
  conflictmap geoparse russian.jsonl --out toponyms.jsonl --lang ru
  conflictmap geoparse articles.jsonl --out -   # to standard output

\b
Input line:  {"id": "a1", "text": "Talks in Baku ...", "lang": "en"}   (lang optional)
Output line: {"id": "a1", "toponyms": [{"start": 9, "end": 13, "name": "Baku",
              "lat": 40.37767, "lon": 49.89201, "place_id": "geonames:587084"}]}
"""
)
@click.argument("input_file", metavar="IN.jsonl", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Output JSON lines file ('-' for standard output).",
)
@click.option(
    "--lang", help="Language of lines without a 'lang' field (en, ru); detected if unset."
)
@click.option(
    "--demonyms/--no-demonyms",
    default=True,
    show_default=True,
    help="Tag demonyms and place adjectives ('Armenian', 'российский') as toponyms, as the "
    "geoparsing corpora (GeoWebNews, LGL, NEREL) annotate them. The map pipeline keeps "
    "them off: there a demonym alone does not place an event.",
)
@gazetteer_options
def geoparse(
    input_file: Path,
    out: Path,
    lang: str | None,
    demonyms: bool,
    boundaries: Path | None,
    name_column: str | None,
    online: bool,
    user_agent: str | None,
) -> None:
    """Recognise and resolve the places in each line of IN.jsonl (the evaluation format).

    Writes one output line per input line, in order. Unresolved mentions have null lat, lon
    and place_id. A bad input line (not JSON, no id or text) gives a one-line error naming the
    file and line number, and still gets an output line, with empty toponyms, so output lines
    stay aligned with input lines; the exit status is then 1. Blank lines are skipped.
    """
    # the evaluation format follows the corpora: "the Kremlin said" is an actor, not a
    # toponym, and streets ("Orchard Street") are toponyms
    gaz = _load(
        boundaries,
        name_column,
        online,
        user_agent,
        demonyms=demonyms,
        landmark_actors=False,
        streets=True,
    )
    try:
        source = input_file.open(encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{input_file}: cannot read ({exc.strerror or exc})") from exc
    bad = 0
    lines = 0
    with source, click.open_file(str(out), "w", encoding="utf-8", atomic=str(out) != "-") as sink:
        for lineno, line in enumerate(source, start=1):
            if not line.strip():
                continue
            lines += 1
            try:
                item = GeoparseInput.model_validate_json(line)
            except (ValidationError, ValueError) as exc:
                bad += 1
                reason = _first_error(exc)
                click.echo(f"Error: {input_file}:{lineno}: {reason}", err=True)
                result = GeoparseOutput(id=_salvage_id(line))
            else:
                try:
                    result = _geoparse_line(gaz, item, lang)
                except ConflictmapError as exc:
                    bad += 1
                    click.echo(f"Error: {input_file}:{lineno}: {exc}", err=True)
                    result = GeoparseOutput(id=item.id)
            sink.write(result.model_dump_json() + "\n")
    if bad:
        click.echo(f"{bad} of {lines} lines had errors; their output lines are empty.", err=True)
        click.get_current_context().exit(1)


def _first_error(exc: Exception) -> str:
    """A one-line reason from a pydantic or JSON error."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "line"
        if first.get("type") == "json_invalid":
            return f"not valid JSON ({first.get('msg', '')})"
        return f"{where}: {first.get('msg', 'invalid')}"
    return " ".join(str(exc).split())


#: Registered on the main group by :mod:`geo.cli.main`.
commands: list[click.Command] = [places, geoparse]
