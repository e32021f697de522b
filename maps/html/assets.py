"""Leaflet, Leaflet.markercluster and jQuery, read from the XStatic packages installed from
PyPI (``xstatic-leaflet``, ``xstatic-leaflet-markercluster``, ``xstatic-jquery``), so the map
is self-contained; or their CDN URLs when online assets are asked for.

Nothing third-party is committed to this repository: the files live in the installed
packages' ``BASE_DIR``.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class Asset(BaseModel):
    """One JS or CSS file: where it lives locally and on a CDN."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str  # "js" or "css"
    package: str  # the xstatic module under xstatic.pkg
    filename: str
    cdn: str


#: In load order: jQuery (folium's map script uses ``$``), Leaflet, then the cluster plugin.
ASSETS: tuple[Asset, ...] = (
    Asset(
        name="leaflet_css",
        kind="css",
        package="leaflet",
        filename="leaflet.css",
        cdn="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
    ),
    Asset(
        name="markercluster_css",
        kind="css",
        package="leaflet_markercluster",
        filename="MarkerCluster.css",
        cdn="https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/MarkerCluster.css",
    ),
    Asset(
        name="markercluster_default_css",
        kind="css",
        package="leaflet_markercluster",
        filename="MarkerCluster.Default.css",
        cdn="https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/MarkerCluster.Default.css",
    ),
    Asset(
        name="jquery",
        kind="js",
        package="jquery",
        filename="jquery.min.js",
        cdn="https://code.jquery.com/jquery-3.7.1.min.js",
    ),
    Asset(
        name="leaflet",
        kind="js",
        package="leaflet",
        filename="leaflet.js",
        cdn="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
    ),
    Asset(
        name="markercluster",
        kind="js",
        package="leaflet_markercluster",
        filename="leaflet.markercluster.js",
        cdn="https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/leaflet.markercluster.js",
    ),
)


def base_dir(package: str) -> Path:
    """``BASE_DIR`` of an installed XStatic package (``leaflet``, ``jquery``, ...)."""
    import importlib

    module = importlib.import_module(f"xstatic.pkg.{package}")
    return Path(module.BASE_DIR)


_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")
_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)


def _data_uri(path: Path) -> str:
    mime = "image/svg+xml" if path.suffix == ".svg" else f"image/{path.suffix.lstrip('.')}"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@cache
def inline_text(asset: Asset) -> str:
    """The asset's text, ready to inline: relative image URLs in CSS become data URIs (the
    layer-control and marker images would otherwise 404 next to the map file), and source
    map comments are dropped (the browser would try to fetch them)."""
    root = base_dir(asset.package)
    text = (root / asset.filename).read_text(encoding="utf-8")
    if asset.kind == "css":
        text = _CSS_URL.sub(lambda m: f'url("{_data_uri(root / m.group(2))}")', text)
    text = _SOURCE_MAP.sub("", text)
    # A literal "</" in inlined code would end the <script>/<style> element early.
    return text.replace("</", "<\\/")
