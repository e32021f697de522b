"""Popup HTML for events, built in Python with every piece of user text escaped.

Leaflet puts popup content in the page with ``innerHTML``, so this module is the one place
that decides what is markup: only the fixed tags written here; everything from sources
(titles, quotes, outlets, actors, place names, URLs) goes through :func:`html.escape`.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from urllib.parse import urlsplit

from gazetteer.models import Place
from geo.models import Event, Source
from maps.html.style import STYLES

_PRECISION_LABEL = {
    "day": "exact day",
    "week": "within a week",
    "month": "month only",
    "season": "season only",
    "year": "year only",
}
#: How a date not read from the event's own clause was found (``Event.date_basis``).
_BASIS_LABEL = {
    "context": "from the context",
    "dateline": "by the dateline",
    "publication": "by publication date",
}


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (no ``javascript:`` or ``data:``)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url.strip()


def date_label(event: Event) -> str:
    """``2020-10-09 (exact day)``, ``2021-11 – 2021-12 (month only)``,
    ``2020-10-03 – 2020-10-09 (within a week, by publication date)`` or ``undated``."""
    if not event.date:
        return "undated"
    text = event.date if not event.date_end else f"{event.date} – {event.date_end}"
    how = []
    if event.date_precision:
        how.append(_PRECISION_LABEL.get(event.date_precision, event.date_precision))
    if event.date_basis in _BASIS_LABEL:
        how.append(_BASIS_LABEL[event.date_basis])
    if how:
        text += f" ({', '.join(how)})"
    return text


@lru_cache(maxsize=65536)  # rows repeat across events (dates, places, actors, status)
def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"


def event_popup(event: Event, place: Place | None, sources: dict[str, Source]) -> str:
    """The popup of one event: type, date with precision, place, actors, status, parties,
    confidence, then each source's quote with title, outlet, date and link."""
    return PopupMaker(sources).popup(event, place)


class PopupMaker:
    """Makes :func:`event_popup` for many events, each source's line made once."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self._sources = sources
        self._meta: dict[str, str] = {}

    def _source_line(self, source_id: str) -> str:
        """Title (linked when there is a safe URL), outlet and date of a source."""
        line = self._meta.get(source_id)
        if line is None:
            src = self._sources.get(source_id)
            meta = []
            title = (src.title if src else None) or source_id
            url = safe_url(src.url) if src else None
            if url:
                meta.append(
                    f'<a href="{escape(url, quote=True)}" target="_blank" '
                    f'rel="noopener noreferrer">{escape(title)}</a>'
                )
            else:
                meta.append(f"<b>{escape(title)}</b>")
            if src and src.outlet:
                meta.append(escape(src.outlet))
            if src and src.published:
                meta.append(escape(src.published.isoformat()))
            line = self._meta[source_id] = " · ".join(meta)
        return line

    def popup(self, event: Event, place: Place | None) -> str:
        style = STYLES[event.event_type]
        place_name = event.place or (place.name if place else None) or "unknown place"
        rows = [
            _row("Date", date_label(event)),
            _row(
                "Place", place_name + (f" ({event.geo_precision})" if event.geo_precision else "")
            ),
            _row("Actors", ", ".join(event.actors) or "—"),
            _row("Status", event.status),
        ]
        if event.event_type == "territory_transfer":
            rows.append(_row("From", event.from_party or "unknown"))
            rows.append(_row("To", event.to_party or "unknown"))
        rows.append(_row("Confidence", f"{event.confidence:.2f}"))
        quotes = [
            f'<blockquote>{escape(ref.quote)}</blockquote><div class="cm-src">'
            + self._source_line(ref.source_id)
            + "</div>"
            for ref in event.sources
        ]
        return (
            f'<div class="cm-popup"><div class="cm-type" style="color:{style.color}">'
            f"{escape(style.label)}</div><table>{''.join(rows)}</table>{''.join(quotes)}</div>"
        )
