"""``map.html``: the layered, self-contained, time-aware Folium map.

Built from a :class:`geo.models.BuildResult`:

- one FeatureGroup per layer (Diplomacy, Clashes, Territory) in a LayerControl, each holding
  an :class:`~maps.html.elements.EventLayer` whose markers are made in JS and clustered;
- territory transfers coloured by the party that gained control (``to_party``);
- Natural Earth country outlines always, OpenStreetMap tiles as an opt-in overlay;
- a time slider, a legend, a title with the build date, and attributions;
- Leaflet, markercluster and jQuery inlined (or CDN links with ``online_assets``);
- deterministic element ids, so the same input gives a byte-identical file.
"""

from __future__ import annotations

from datetime import date as Date
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure
from shapely.geometry import shape

from geo.build.outputs import WriteOptions, write_if_changed
from geo.models import BuildResult, Event
from maps.features import PlacedEvent, placed_events
from maps.html.assets import ASSETS
from maps.html.basemap import countries_geojson
from maps.html.elements import (
    CountryBasemap,
    EventLayer,
    InlineAssets,
    Legend,
    MapTitle,
    PageStyle,
    TimeSlider,
)
from maps.html.popups import PopupMaker
from maps.html.style import (
    LAYER_COLORS,
    LAYERS,
    STYLES,
    UNKNOWN_PARTY_COLOR,
    icon_svg,
    party_colors,
)

ATTRIBUTIONS: tuple[str, ...] = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> '
    '(<a href="https://creativecommons.org/licenses/by/4.0/">CC-BY 4.0</a>)',
    'Outlines: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain)',
)
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


@lru_cache(maxsize=4096)  # events share dates; a build has a few thousand at most
def day_number(iso: str | None) -> int | None:
    """Days since 1970-01-01 of the first day a partial ISO date can mean, or None."""
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")]
    year, month, day = (
        parts[0],
        parts[1] if len(parts) > 1 else 1,
        parts[2] if len(parts) > 2 else 1,
    )
    return (Date(year, month, day) - Date(1970, 1, 1)).days


def map_geometry(pe: PlacedEvent) -> dict[str, Any] | None:
    """What to draw for an event on the map.

    The exports always carry the place's own geometry; on the map an area is drawn only
    where the area is the point: territory transfers are polygons (coloured by the gaining
    party), corridors, borders and lines of contact are lines for every event type. Talks
    "in Russia" or a clash "in Nagorno-Karabakh" are markers at the place's representative
    point: a country-sized fill per event would bury the map and its bounds.
    """
    if pe.place is None:
        return None
    geometry = pe.place.__geo_interface__
    kind = geometry.get("type", "Point")
    if kind == "Point" or "LineString" in kind:
        return geometry
    if pe.event.event_type == "territory_transfer":
        return geometry
    # GeoJSON order is [lon, lat] (Place keeps the swap in one place; this is the same rule).
    return {"type": "Point", "coordinates": [pe.place.lon, pe.place.lat]}


class _MapGeometries:
    """:func:`map_geometry` and its bounds, made once per place and kind of drawing.

    Many events share a place: its geometry dump and shapely bounds are the same for all of
    them (the dicts are shared between features, which are only serialised).
    """

    def __init__(self) -> None:
        # place_id -> [geometry, its bounds once asked for]
        self._own: dict[str, list[Any]] = {}
        self._point: dict[str, list[Any]] = {}

    def get(self, pe: PlacedEvent) -> dict[str, Any] | None:
        entry = self._entry(pe)
        return None if entry is None else entry[0]

    def bounds(self, pe: PlacedEvent) -> tuple[float, float, float, float] | None:
        entry = self._entry(pe)
        if entry is None:
            return None
        if entry[1] is None:
            entry[1] = shape(entry[0]).bounds
        return entry[1]

    def _entry(self, pe: PlacedEvent) -> list[Any] | None:
        place = pe.place
        if place is None:
            return None
        entry = self._own.get(place.place_id)
        if entry is None:
            entry = self._own[place.place_id] = [place.__geo_interface__, None]
        kind = entry[0].get("type", "Point")
        if kind == "Point" or "LineString" in kind or pe.event.event_type == "territory_transfer":
            return entry
        point = self._point.get(place.place_id)
        if point is None:
            point = self._point[place.place_id] = [map_geometry(pe), None]
        return point


def _icon_key(event: Event, party_color: dict[str, str]) -> tuple[str, str | None]:
    if event.event_type == "territory_transfer":
        color = party_color.get(event.to_party or "", UNKNOWN_PARTY_COLOR)
        return f"territory_transfer:{color}", color
    return event.event_type, None


def _layer_features(
    events: list[PlacedEvent],
    result: BuildResult,
    party_color: dict[str, str],
    geometries: _MapGeometries | None = None,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    sources = {s.source_id: s for s in result.sources}
    geometries = geometries or _MapGeometries()
    popups = PopupMaker(sources)
    features: list[dict[str, Any]] = []
    icons: dict[str, str] = {}
    for pe in events:
        if pe.place is None:
            continue  # nowhere to draw it; it is still in events.geojson and the CSV
        e = pe.event
        key, fill = _icon_key(e, party_color)
        if key not in icons:
            icons[key] = icon_svg(e.event_type, fill)
        style = STYLES[e.event_type]
        features.append(
            {
                "type": "Feature",
                "geometry": geometries.get(pe),
                "properties": {
                    "icon": key,
                    "color": fill or style.color,
                    "label": f"{style.label}: {pe.place.name}",
                    "t": day_number(e.date),
                    "popup": popups.popup(e, pe.place),
                },
            }
        )
    return features, icons


def legend_html(party_color: dict[str, str], unknown_party: bool = False) -> str:
    """The legend's HTML: fixed labels and SVG, party names escaped. ``unknown_party`` adds
    the grey of transfers whose gaining party the sources do not state."""
    parts = []
    for _key, (label, types) in LAYERS.items():
        parts.append(f"<h4>{escape(label)}</h4>")
        for t in types:
            parts.append(
                f'<div class="cm-row">{icon_svg(t, size=16)}<span>{escape(STYLES[t].label)}'
                "</span></div>"
            )
    rows = dict(party_color)
    if unknown_party:
        rows["not stated"] = UNKNOWN_PARTY_COLOR
    if rows:
        parts.append("<h4>Control gained by</h4>")
        for party, color in rows.items():
            parts.append(
                f'<div class="cm-row"><span class="cm-swatch" style="background:{color}">'
                f"</span><span>{escape(party)}</span></div>"
            )
    return "".join(parts)


def _bounds(
    events: list[PlacedEvent], geometries: _MapGeometries | None = None
) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the events' geometries (Leaflet order)."""
    geometries = geometries or _MapGeometries()
    boxes = [b for pe in events if (b := geometries.bounds(pe)) is not None]
    if not boxes:
        return None
    west = min(b[0] for b in boxes)
    south = min(b[1] for b in boxes)
    east = max(b[2] for b in boxes)
    north = max(b[3] for b in boxes)
    return [[south, west], [north, east]]


def _deterministic_ids(figure: Figure) -> None:
    """Replace branca's random element ids (``urandom``) with a counter in tree order."""
    counter = 0
    stack: list[Element] = [figure]
    seen: set[int] = set()
    while stack:
        el = stack.pop(0)
        if id(el) in seen:
            continue
        seen.add(id(el))
        el._id = f"{counter:04d}"
        counter += 1
        children = list(el._children.values())
        if isinstance(el, Figure):
            children = [el.header, el.html, el.script, *children]
        stack.extend(children)


def build_map(result: BuildResult, options: WriteOptions) -> folium.Map:
    """The folium map of a build (not yet rendered)."""
    events = placed_events(result)
    # markercluster needs a maxZoom on the map itself (there is no tile layer to imply one).
    m = folium.Map(location=None, tiles=None, zoom_start=2, control_scale=True, maxZoom=18)
    figure = m.get_root()
    if isinstance(figure, Figure):
        figure.title = escape(options.title)

    # Leaflet, markercluster and jQuery only: folium's bootstrap, font-awesome and
    # awesome-markers are not used, and offline they would be failed requests.
    if options.online_assets:
        m.default_js = [(a.name, a.cdn) for a in ASSETS if a.kind == "js"]
        m.default_css = [(a.name, a.cdn) for a in ASSETS if a.kind == "css"]
    else:
        m.default_js = []
        m.default_css = []
        m.add_child(InlineAssets())
    m.add_child(PageStyle())
    m.add_child(CountryBasemap(countries_geojson()))
    folium.TileLayer(
        "OpenStreetMap",
        name="OpenStreetMap tiles (online)",
        attr=OSM_ATTRIBUTION,
        overlay=True,
        show=False,  # offline, tile requests would only fail: opt in from the control
        control=True,
    ).add_to(m)

    # One pass over the events (each touch of 26k scattered events costs): the layers'
    # events, the gaining parties, whether one is not stated, and the drawn events' days.
    in_layer: dict[str, list[PlacedEvent]] = {key: [] for key in LAYERS}
    parties: list[str] = []
    unknown = False
    days: list[int] = []
    for pe in events:
        e = pe.event
        if e.event_type == "territory_transfer":
            if e.to_party:
                parties.append(e.to_party)
            else:
                unknown = True
        if e.layer in in_layer:
            in_layer[e.layer].append(pe)
        # The slider spans the events drawn on the map (unplaced events are not drawn).
        if pe.place is not None and (d := day_number(e.date)) is not None:
            days.append(d)
    party_color = party_colors(parties)
    geometries = _MapGeometries()
    layers: list[EventLayer] = []
    for key, (label, _types) in LAYERS.items():
        group = folium.FeatureGroup(name=label, overlay=True, show=True)
        features, icons = _layer_features(in_layer[key], result, party_color, geometries)
        layer = EventLayer(features, icons, LAYER_COLORS[key])
        group.add_child(layer)
        group.add_to(m)
        layers.append(layer)

    m.add_child(TimeSlider(layers, min(days) if days else None, max(days) if days else None))
    m.add_child(Legend(legend_html(party_color, unknown)))
    build_date = options.build_date or (result.manifest.built_at[:10] or None)
    m.add_child(MapTitle(options.title, build_date, list(ATTRIBUTIONS)))
    folium.LayerControl(collapsed=False, position="topright").add_to(m)

    bounds = _bounds(events, geometries)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(30, 30), max_zoom=9)
    if isinstance(figure, Figure):
        _deterministic_ids(figure)
    return m


def render_map(result: BuildResult, options: WriteOptions) -> str:
    """The complete, self-contained HTML page of the map."""
    return build_map(result, options).get_root().render()


class HTMLMapWriter:
    """``map.html``: see the module docstring."""

    name = "html"

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]:
        path = Path(out_dir) / "map.html"
        write_if_changed(path, render_map(result, options))
        return [path]
