"""map.html: structure, escaping, self-containment and determinism, checked on fragments of
the real rendered page (no mocks of folium)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.build.outputs import WriteOptions, get_writer
from geo.models import BuildResult
from maps.features import placed_events
from maps.html.elements import safe_json
from maps.html.popups import date_label, event_popup, safe_url
from maps.html.render import day_number, legend_html, map_geometry, render_map
from tests.maps.sample import MALICIOUS, sample_result

OPTIONS = WriteOptions(title="Karabakh <test> & map", build_date="2026-11-22")


@pytest.fixture(scope="module")
def page() -> str:
    return render_map(sample_result(), OPTIONS)


def _layer_data(page: str) -> list[dict]:
    """The GeoJSON embedded for each EventLayer, in layer order."""
    return [json.loads(m) for m in re.findall(r"^\s*var data = (.*);$", page, re.M)]


def test_writer_writes_map_html(tmp_path: Path) -> None:
    (path,) = get_writer("html").write(sample_result(), tmp_path, OPTIONS)
    assert path == tmp_path / "map.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_byte_identical_for_same_input(tmp_path: Path) -> None:
    a = render_map(sample_result(), OPTIONS)
    b = render_map(sample_result(), OPTIONS)
    assert a == b
    # no random 32-hex folium ids left
    assert not re.search(r"_[0-9a-f]{32}\b", a)


def test_self_contained_offline(page: str) -> None:
    # no external script or stylesheet, no folium CDN extras
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+stylesheet", page)
    for cdn in ("bootstrap", "font-awesome", "fontawesome", "awesome-markers", "jsdelivr"):
        assert cdn not in page.lower()
    assert 'data-asset="leaflet"' in page and 'data-asset="markercluster"' in page
    assert 'data-asset="jquery"' in page
    assert "sourceMappingURL" not in page
    assert "url(images/" not in page  # Leaflet CSS images are data URIs


def test_online_assets_link_cdns() -> None:
    page = render_map(sample_result(), OPTIONS.model_copy(update={"online_assets": True}))
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in page
    assert "leaflet.markercluster@1.4.1" in page and "jquery-3.7.1" in page
    assert "data-asset=" not in page
    assert "bootstrap" not in page.lower()


def test_layers_and_control(page: str) -> None:
    for name in ("Diplomacy", "Clashes", "Territory"):
        assert f'"{name}" : feature_group_' in page
    assert '"OpenStreetMap tiles (online)" : tile_layer_' in page
    # OSM tiles are an overlay that is off by default: no addTo for the tile layer
    tile = re.search(r"var (tile_layer_\d+) = L\.tileLayer", page)
    assert tile and f"{tile.group(1)}.addTo(" not in page
    assert "openstreetmap.org/copyright" in page


def test_event_features_per_layer(page: str) -> None:
    diplomacy, clashes, territory = _layer_data(page)
    assert len(diplomacy["features"]) == 4
    assert len(clashes["features"]) == 2  # the unplaced clash has nothing to draw
    assert len(territory["features"]) == 2
    kinds = {f["geometry"]["type"] for d in (clashes, territory) for f in d["features"]}
    # the ceasefire "in Nagorno-Karabakh" (a MultiPolygon place) is a marker on the map
    assert kinds == {"Point", "Polygon", "LineString"}
    transfer = next(f for f in territory["features"] if f["geometry"]["type"] == "Polygon")
    assert transfer["properties"]["icon"].startswith("territory_transfer:")
    visit = next(f for f in diplomacy["features"] if "Visit" in f["properties"]["label"])
    assert visit["properties"]["t"] is None  # undated: always shown


def test_popups_escape_everything(page: str) -> None:
    assert MALICIOUS not in page
    assert "<script>window.__pwned" not in page
    assert "</script></script>" not in page
    _, clashes, _ = _layer_data(page)
    popup = next(f for f in clashes["features"] if f["geometry"]["type"] == "Point")["properties"][
        "popup"
    ]
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in popup
    assert "<img" not in popup and "javascript:" not in popup
    assert "&lt;i&gt;Evil&lt;/i&gt;" in popup


def test_popup_content() -> None:
    r = sample_result()
    sources = {s.source_id: s for s in r.sources}
    places = r.place_index()
    summit = r.events[0]
    html = event_popup(summit, places[summit.place_id or ""], sources)
    assert "Summit" in html and "2022-10-31 (exact day)" in html and "Sochi" in html
    assert "Vladimir Putin, Nikol Pashinyan, Ilham Aliyev" in html and "planned" in html
    assert '<a href="https://example.org/afp?a=1&amp;b=2" target="_blank"' in html
    assert "Putin to host &lt;b&gt;leaders&lt;/b&gt; in Sochi" in html
    assert "AFP" in html and "2022-10-28" in html
    transfer = r.events[6]
    html = event_popup(transfer, places[transfer.place_id or ""], sources)
    assert "Armenia" in html and "Azerbaijan" in html and "month only" in html


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://x.org/a", True),
        ("http://x.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//x.org", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_safe_json_cannot_close_script() -> None:
    text = safe_json({"q": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"q": "</script><!-- & \u2028"}


def test_title_build_date_attribution_and_bounds(page: str) -> None:
    assert "<title>Karabakh &lt;test&gt; &amp; map</title>" in page
    assert "<h1>Karabakh &lt;test&gt; &amp; map</h1>" in page
    assert "Built 2026-11-22" in page
    assert "GeoNames" in page and "CC-BY 4.0" in page and "Natural Earth" in page
    m = re.search(r"map_\d+\.fitBounds\(\s*(\[\[.*?\]\])", page, re.S)
    assert m is not None
    (south, west), (north, east) = json.loads(m.group(1))
    assert (south, west) == pytest.approx((39.5, 39.7342))
    assert (north, east) == pytest.approx((43.6028, 46.85))


def test_time_slider_range(page: str) -> None:
    lo = day_number("2020-10-09")
    hi = day_number("2024-08-22")
    assert f"var lo = {lo}, hi = {hi};" in page
    assert "cm-time" in page


def test_country_basemap_present(page: str) -> None:
    assert 'createPane("cm-basemap")' in page
    assert '"iso_a2":"AM"' in page and '"name":"Azerbaijan"' in page


def test_legend_lists_types_and_parties(page: str) -> None:
    legend = re.search(r"div\.innerHTML = (\".*?\");", page)
    assert legend is not None
    html = json.loads(legend.group(1))
    for label in (
        "Summit",
        "Talks",
        "Call",
        "Visit",
        "Clash",
        "Ceasefire",
        "Territory transfer",
        "Deployment",
        "Control gained by",
        "Azerbaijan",
    ):
        assert label in html


def test_day_number_and_date_label() -> None:
    assert day_number("1970-01-02") == 1
    assert day_number("2020-11") == day_number("2020-11-01")
    assert day_number("2020") == day_number("2020-01-01")
    assert day_number(None) is None
    r = sample_result()
    assert date_label(r.events[3]) == "undated"
    assert date_label(r.events[1]) == "2021-11 (month only)"


def test_no_events_renders(tmp_path: Path) -> None:
    empty: BuildResult = sample_result().model_copy(update={"events": [], "places": []})
    page = render_map(empty, OPTIONS)
    assert "var lo = null, hi = null;" in page
    assert not re.search(r"map_\d+\.fitBounds", page)


def test_map_geometry_keeps_areas_for_transfers_and_lines() -> None:
    r = sample_result()
    pes = {pe.event.id: pe for pe in placed_events(r)}
    assert map_geometry(pes["ev07"]) == pes["ev07"].place.__geo_interface__  # type: ignore[union-attr]
    assert map_geometry(pes["ev08"])["type"] == "LineString"  # type: ignore[index]
    assert map_geometry(pes["ev06"]) == {"type": "Point", "coordinates": [46.7, 39.9]}
    assert map_geometry(pes["ev09"]) is None


def test_legend_unknown_party_and_escaping() -> None:
    html = legend_html({"<b>X</b>": "#123456"}, unknown_party=True)
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "<b>X" not in html
    assert "not stated" in html
    assert "not stated" not in legend_html({}, unknown_party=False)


def test_country_basemap_is_small_valid_and_cached() -> None:
    from geojson_pydantic import FeatureCollection

    from maps.html.basemap import _cache_path, countries_geojson

    text = countries_geojson()
    assert len(text) < 1_500_000  # simplified: the whole world in well under 1.5 MB
    fc = json.loads(text)
    FeatureCollection.model_validate(fc)
    names = {f["properties"]["name"] for f in fc["features"]}
    assert {"Armenia", "Azerbaijan", "Russia", "Ukraine"} <= names
    assert _cache_path().read_text(encoding="utf-8") == text


def test_template_syntax_in_user_text_is_kept_literally() -> None:
    """A quote or title with Jinja syntax is text: never evaluated, never a render error."""
    result = sample_result()
    jinja = "Fighting {{ config }} broke out {% if x %} in {# Stepanakert"
    event = result.events[0]
    ref = event.sources[0].model_copy(update={"quote": jinja})
    result = result.model_copy(
        update={"events": [event.model_copy(update={"sources": [ref]}), *result.events[1:]]}
    )
    page = render_map(result, WriteOptions(title="Map {{ 7*7 }} {#", build_date="2026-11-22"))
    layers = _layer_data(page)
    popups = [f["properties"]["popup"] for layer in layers for f in layer["features"]]
    assert any("{{ config }} broke out {% if x %} in {# Stepanakert" in p for p in popups)
    assert "Map {{ 7*7 }} {#" in page and "Map 49" not in page
