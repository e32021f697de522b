"""Map elements: one Leaflet concept per class, its JS in a Jinja ``_template``.

User text never reaches a template raw: data goes in through :func:`safe_json` (which also
stops ``</script>`` breakouts) and visible text through :func:`html.escape`.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from branca.element import Element, Figure
from folium.template import Template

from maps.html.assets import ASSETS, inline_text

#: Encodes as :func:`safe_json` does before its replacements.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _script_safe(text: str) -> str:
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if not text.isascii():  # O(1) in CPython: skips two scans for the line separators
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text


def safe_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``... so ``</script>`` or ``<!--`` in a
    quote cannot end the script; U+2028/2029 are escaped because older JS parsers treat
    them as line breaks inside string literals.
    """
    return _script_safe(_encode(obj))


def safe_features_json(features: list[dict[str, Any]]) -> str:
    """``safe_json({"type": "FeatureCollection", "features": features})``, faster.

    The text is the same: safe_json's replacements only touch characters inside string
    literals, so escaping each feature's parts and joining them gives the same bytes as
    escaping the whole. A geometry dict shared by several features (one place, many
    events) is encoded once.
    """
    geometry_json: dict[int, str] = {}
    parts = []
    for f in features:
        if tuple(f) != _FEATURE_KEYS or f["type"] != "Feature":
            parts.append(safe_json(f))
            continue
        geometry = f["geometry"]
        gj = geometry_json.get(id(geometry))
        if gj is None:
            gj = geometry_json[id(geometry)] = safe_json(geometry)
        parts.append(
            f'{{"type":"Feature","geometry":{gj},"properties":{safe_json(f["properties"])}}}'
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


#: The keys of a feature, in order (the joined text spells them so).
_FEATURE_KEYS = ("type", "geometry", "properties")


class _Text(Element):
    """Text that is already rendered, output as it is (never compiled as a template).

    The text is output as Jinja outputs literal text, as branca's ``Element(text)`` would:
    newlines normalised, one trailing newline dropped.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text = text[:-1] if text.endswith("\n") else text

    def render(self, **kwargs: Any) -> str:
        return self.text


class MacroTemplateElement(Element):
    """An element whose ``_template`` defines Jinja macros ``header``, ``html`` and ``script``
    (any of them), each rendered once into that part of the page, as branca's
    :class:`~branca.element.MacroElement` does.

    Not a MacroElement: that one wraps each rendered macro in ``Element(text)``, which compiles
    the text as a Jinja template a second time. User text inside it (a quote with ``{{ x }}``
    or ``{#``) would then be evaluated or stop the render with a syntax error, and for the
    embedded event data and inlined libraries (tens of MB) that lexing was most of the
    page's render time. Here the rendered text goes into the page as a :class:`_Text`. These
    elements have no children.
    """

    _template: Template

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{self.get_name()} can only be rendered in a Figure")
        macros = self._template.module
        for part, target in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            macro = getattr(macros, part, None)
            if macro is not None:
                target.add_child(_Text(macro(self, kwargs)), name=self.get_name())
        return ""


class InlineAssets(MacroTemplateElement):
    """Leaflet, markercluster and jQuery inlined into the page head (no network needed)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        {%- for name, css in this.css %}
        <style data-asset="{{ name }}">{{ css }}</style>
        {%- endfor %}
        {%- for name, js in this.js %}
        <script data-asset="{{ name }}">{{ js }}</script>
        {%- endfor %}
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "InlineAssets"
        self.css = [(a.name, inline_text(a)) for a in ASSETS if a.kind == "css"]
        self.js = [(a.name, inline_text(a)) for a in ASSETS if a.kind == "js"]


class PageStyle(MacroTemplateElement):
    """The CSS of the project's own controls, popups and icons."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .cm-icon { background: none; border: none; }
        .cm-icon svg { display: block; filter: drop-shadow(0 1px 1px rgba(0,0,0,.4)); }
        .cm-cluster { border-radius: 50%; color: #fff; font: 600 12px/1 system-ui, sans-serif;
            text-align: center; border: 2px solid #fff; box-shadow: 0 1px 4px rgba(0,0,0,.5); }
        .cm-control { background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 5px;
            box-shadow: 0 1px 5px rgba(0,0,0,.4); font: 12px/1.4 system-ui, sans-serif; }
        .cm-title { position: absolute; top: 10px; left: 50%; transform: translateX(-50%);
            z-index: 1000; text-align: center; pointer-events: none; }
        .cm-title h1 { font-size: 16px; margin: 0; }
        .cm-title .cm-built { color: #555; }
        .cm-legend h4 { margin: 4px 0 2px; font-size: 12px; }
        .cm-legend .cm-row { display: flex; align-items: center; gap: 6px; margin: 1px 0; }
        .cm-legend .cm-swatch { width: 14px; height: 14px; border-radius: 3px;
            display: inline-block; opacity: .7; }
        .cm-time input { width: 220px; vertical-align: middle; }
        .cm-time .cm-date { font-weight: 600; margin-left: 4px; }
        .cm-popup { font: 12px/1.4 system-ui, sans-serif; max-height: 320px; overflow-y: auto; }
        .cm-popup .cm-type { font-weight: 700; font-size: 13px; }
        .cm-popup th { text-align: left; padding-right: 6px; vertical-align: top; }
        .cm-popup blockquote { margin: 6px 0 2px; padding-left: 6px; border-left: 3px solid #ccc;
            font-style: italic; }
        .cm-popup .cm-src { color: #555; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PageStyle"


class CountryBasemap(MacroTemplateElement):
    """Natural Earth country outlines, always drawn, in a pane *under* the tile pane so that
    optional online tiles cover them when switched on."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var pane = map.createPane("cm-basemap");
            pane.style.zIndex = 150;
            map.getContainer().style.background = "#dceaf5";
            L.geoJSON({{ this.data_json }}, {
                pane: "cm-basemap",
                interactive: false,
                style: {color: "#8a8a8a", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1}
            }).addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, geojson_text: str) -> None:
        super().__init__()
        self._name = "CountryBasemap"
        # Natural Earth names are plain, but the same escaping rule holds for all data.
        self.data_json = safe_json(json.loads(geojson_text))


class EventLayer(MacroTemplateElement):
    """The events of one map layer, added to its parent FeatureGroup.

    Markers are built in JS from embedded GeoJSON (``L.geoJSON`` with ``pointToLayer``) and
    clustered with Leaflet.markercluster; lines and polygons go to a plain feature group.
    Popups are escaped HTML strings made in Python. ``show(asOf)`` keeps only the events
    that started on or before day ``asOf`` (days since 1970-01-01); undated events stay.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var parent = {{ this._parent.get_name() }};
            var iconSvg = {{ this.icons_json }};
            var icons = {};
            Object.keys(iconSvg).forEach(function (k) {
                icons[k] = L.divIcon({html: iconSvg[k], className: "cm-icon",
                    iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12]});
            });
            var clusterColor = {{ this.cluster_color_json }};
            var cluster = L.markerClusterGroup({chunkedLoading: true,
                showCoverageOnHover: false, maxClusterRadius: 40,
                iconCreateFunction: function (c) {
                    var n = c.getChildCount();
                    var size = n < 10 ? 30 : n < 100 ? 36 : 44;
                    var div = document.createElement("div");
                    div.className = "cm-cluster";
                    div.style.background = clusterColor;
                    div.style.width = div.style.height = div.style.lineHeight = size + "px";
                    div.textContent = n;
                    return L.divIcon({html: div, className: "cm-icon",
                        iconSize: [size, size]});
                }});
            var paths = L.featureGroup();
            var items = [];
            var data = {{ this.data_json }};
            L.geoJSON(data, {
                pointToLayer: function (f, latlng) {
                    return L.marker(latlng, {icon: icons[f.properties.icon],
                        title: f.properties.label});
                },
                style: function (f) {
                    var line = f.geometry.type.indexOf("LineString") >= 0;
                    return {color: f.properties.color, weight: line ? 4 : 2,
                        fillColor: f.properties.color, fillOpacity: line ? 0 : 0.35};
                },
                onEachFeature: function (f, layer) {
                    layer.bindPopup(f.properties.popup, {maxWidth: 360});
                    items.push({layer: layer, t: f.properties.t,
                        point: f.geometry.type === "Point"});
                }
            });
            cluster.addTo(parent);
            paths.addTo(parent);
            function show(asOf) {
                var points = [];
                cluster.clearLayers();
                paths.clearLayers();
                items.forEach(function (it) {
                    if (asOf !== null && it.t !== null && it.t > asOf) { return; }
                    if (it.point) { points.push(it.layer); } else { paths.addLayer(it.layer); }
                });
                cluster.addLayers(points);
                return points.length + paths.getLayers().length;
            }
            show(null);
            return {show: show, cluster: cluster, paths: paths, total: items.length};
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, features: list[dict[str, Any]], icons: dict[str, str], cluster_color: str
    ) -> None:
        super().__init__()
        self._name = "EventLayer"
        self.cluster_color_json = safe_json(cluster_color)
        self.data_json = safe_features_json(features)
        self.icons_json = safe_json(icons)


class TimeSlider(MacroTemplateElement):
    """A slider control that shows the map as of a date (days since 1970-01-01).

    Our own small control instead of folium's Timeline plugins, which load their JS from CDNs
    that cannot be inlined. It starts at the last date, so everything is visible.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var layers = [{% for layer in this.layers %}{{ layer.get_name() }}{{ ", " if not loop.last }}{% endfor %}];
            var lo = {{ this.lo_json }}, hi = {{ this.hi_json }};
            function fmt(d) { return new Date(d * 86400000).toISOString().slice(0, 10); }
            var control = L.control({position: "bottomleft"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "cm-control cm-time");
                div.id = "cm-time";
                var label = L.DomUtil.create("label", "", div);
                label.textContent = "Map as of ";
                var input = L.DomUtil.create("input", "", div);
                input.type = "range";
                input.setAttribute("aria-label", "Show events up to this date");
                var out = L.DomUtil.create("span", "cm-date", div);
                var count = L.DomUtil.create("span", "cm-count", div);
                var total = layers.reduce(function (n, l) { return n + l.total; }, 0);
                function shown(n) { count.textContent = " · " + n + " of " + total + " events"; }
                shown(total);
                var note = L.DomUtil.create("div", "cm-note", div);
                note.textContent = "Undated events are always shown.";
                if (lo === null) {
                    input.disabled = true;
                    out.textContent = "no dated events";
                } else {
                    input.min = lo; input.max = hi; input.step = 1; input.value = hi;
                    out.textContent = fmt(hi);
                    L.DomEvent.on(input, "input", function () {
                        var v = parseInt(input.value, 10);
                        out.textContent = fmt(v);
                        shown(layers.reduce(function (n, l) {
                            return n + l.show(v >= hi ? null : v);
                        }, 0));
                    });
                }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, layers: list[EventLayer], lo: int | None, hi: int | None) -> None:
        super().__init__()
        self._name = "TimeSlider"
        self.layers = layers
        self.lo_json = safe_json(lo)
        self.hi_json = safe_json(hi)


class Legend(MacroTemplateElement):
    """A legend control: each event type's icon, grouped by layer, and the colours of the
    parties that gained territory."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var control = L.control({position: "bottomright"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "cm-control cm-legend");
                div.id = "cm-legend";
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        """``html`` must be built with every user-supplied string escaped."""
        super().__init__()
        self._name = "Legend"
        self.html_json = safe_json(html)


class MapTitle(MacroTemplateElement):
    """The title and build date over the map, and the data attributions in the corner."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div class="cm-title cm-control" id="cm-title"><h1>{{ this.title_html }}</h1>
        {%- if this.built_html %}<div class="cm-built">Built {{ this.built_html }}</div>{% endif %}</div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {%- for a in this.attributions %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ a }});
        {%- endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, title: str, build_date: str | None, attributions: list[str]) -> None:
        """``attributions`` are trusted HTML snippets (links to licences)."""
        super().__init__()
        self._name = "MapTitle"
        self.title_html = escape(title)
        self.built_html = escape(build_date) if build_date else ""
        self.attributions = [safe_json(a) for a in attributions]
