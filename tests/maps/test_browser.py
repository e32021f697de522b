"""map.html in a real browser: headless Chromium (Debian's) driven by Playwright, with every
non-file request aborted, so the map must draw from what it carries."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo.build.outputs import WriteOptions
from geo.models import BuildResult
from maps.html.render import HTMLMapWriter
from tests import REPO, SEEDS
from tests.maps.sample import sample_result

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip(
            "Debian chromium is not installed (apt-get install chromium); .ci/run installs it"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A loaded map page, with the console errors, page errors and blocked requests seen."""

    def __init__(self, browser: Any, html: Path) -> None:
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(html.as_uri())
        self.page.wait_for_function(
            "window.L !== undefined && document.querySelector('.leaflet-marker-icon') !== null"
        )

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


def _write_map(result: BuildResult, out: Path) -> Path:
    options = WriteOptions(title="conflictmap test", build_date="2026-11-22")
    (path,) = HTMLMapWriter().write(result, out, options)
    return path


@pytest.fixture(scope="module")
def loaded(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    path = _write_map(sample_result(), tmp_path_factory.mktemp("map"))
    page = Page(browser, path)
    yield page
    page.page.close()


def test_map_draws_offline(loaded: Page) -> None:
    p = loaded.page
    assert p.evaluate("typeof window.L") == "object"
    assert p.evaluate("L.version") == "1.9.3"
    assert p.evaluate("typeof L.markerClusterGroup") == "function"
    labels = p.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    names = [label.strip() for label in labels]
    for layer in ("Diplomacy", "Clashes", "Territory"):
        assert layer in names
    # markers (or their clusters) and SVG paths for the corridor and the transferred district
    assert p.locator(".leaflet-marker-icon").count() >= 3
    assert p.locator("path.leaflet-interactive").count() >= 2
    assert p.locator("#cm-time input[type=range]").count() == 1
    assert p.locator("#cm-legend").count() == 1
    assert "conflictmap test" in p.locator("#cm-title").inner_text()
    assert loaded.errors == []
    assert loaded.blocked == []  # nothing even tried the network
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "map.png"))


def test_time_slider_filters_and_keeps_undated(loaded: Page) -> None:
    p = loaded.page
    total = p.evaluate(
        "Object.keys(window).filter(k => k.startsWith('event_layer_'))"
        ".map(k => window[k].cluster.getLayers().length + window[k].paths.getLayers().length)"
        ".reduce((a, b) => a + b, 0)"
    )
    assert total == 8
    slider = p.locator("#cm-time input[type=range]")
    slider.evaluate("(el) => { el.value = el.min; el.dispatchEvent(new Event('input')); }")
    shown = p.evaluate(
        "Object.keys(window).filter(k => k.startsWith('event_layer_'))"
        ".map(k => window[k].cluster.getLayers().length + window[k].paths.getLayers().length)"
        ".reduce((a, b) => a + b, 0)"
    )
    # as of the first date: the clash of 2020-10-09 plus the undated visit
    assert shown == 2
    assert p.locator("#cm-time .cm-date").inner_text() == "2020-10-09"
    assert p.locator("#cm-time .cm-count").inner_text() == " · 2 of 8 events"
    slider.evaluate("(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
    assert loaded.errors == []


def test_popup_shows_escaped_script_without_running_it(loaded: Page) -> None:
    p = loaded.page
    # zoomToShowLayer uncluster/spiderfies the marker first, then its popup can open
    html = p.evaluate(
        """() => new Promise((resolve) => {
            for (const k of Object.keys(window).filter(k => k.startsWith('event_layer_'))) {
                const group = window[k].cluster;
                const m = group.getLayers().find(l => l.getPopup().getContent().includes('pwned'));
                if (m) {
                    group.zoomToShowLayer(m, () => {
                        m.openPopup();
                        resolve(document.querySelector('.leaflet-popup-content').innerHTML);
                    });
                    return;
                }
            }
            resolve(null);
        })"""
    )
    assert "&lt;script&gt;" in html
    assert p.locator(".leaflet-popup-content script").count() == 0
    assert p.locator(".leaflet-popup-content img").count() == 0
    p.wait_for_timeout(200)
    assert p.evaluate("window.__pwned === undefined")
    assert loaded.errors == []


def test_osm_tiles_are_opt_in(loaded: Page) -> None:
    p = loaded.page
    assert p.locator(".leaflet-tile").count() == 0
    osm = p.locator(".leaflet-control-layers-overlays label", has_text="OpenStreetMap")
    assert not osm.locator("input").is_checked()


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory: pytest.TempPathFactory, gazetteer: Any) -> Path:
    from geo.build.pipeline import build

    out = tmp_path_factory.mktemp("seed-out")
    seeds = SEEDS
    build([seeds], out, formats=["html"], use_cache=False, gazetteer=gazetteer)
    return out / "map.html"


def test_seed_map_draws_offline(browser: Any, seed_map: Path) -> None:
    loaded = Page(browser, seed_map)
    p = loaded.page
    labels = [
        t.strip() for t in p.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    ]
    assert {"Diplomacy", "Clashes", "Territory"} <= set(labels)
    counts = p.evaluate(
        "Object.keys(window).filter(k => k.startsWith('event_layer_'))"
        ".map(k => window[k].cluster.getLayers().length + window[k].paths.getLayers().length)"
    )
    assert len(counts) == 3 and all(c > 0 for c in counts), counts
    assert p.locator(".leaflet-marker-icon").count() > 0
    assert p.locator("#cm-time").count() == 1
    assert loaded.errors == [] and loaded.blocked == []
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "seed-map.png"))
    p.close()


@pytest.mark.slow
def test_ten_thousand_events_load_cleanly(browser: Any, tmp_path: Path) -> None:
    """Scale check without timing (the timed benchmark lives in bench/): 10,000 events
    render, load offline with no errors, and every one of them is in a layer."""
    from tests.maps.sample import large_result

    loaded = Page(browser, _write_map(large_result(10_000), tmp_path))
    p = loaded.page
    total = p.evaluate(
        "Object.keys(window).filter(k => k.startsWith('event_layer_'))"
        ".map(k => window[k].cluster.getLayers().length + window[k].paths.getLayers().length)"
        ".reduce((a, b) => a + b, 0)"
    )
    assert total == 10_000
    assert p.locator(".marker-cluster, .cm-cluster").count() > 0
    assert loaded.errors == [] and loaded.blocked == []
    p.close()
