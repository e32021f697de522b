"""The compiled index: built from sources into a cache folder, reused, rebuilt on change."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer import Gazetteer
from gazetteer.errors import GazetteerDataError
from gazetteer.index import build as index_build
from gazetteer.index import store as index_store
from gazetteer.sources.overlay import OverlaySource

OVERLAY = """\
# test overlay; source: written for this test
places:
  - id: overlay:test-valley
    name: Test Valley
    type: region
    lat: 41.0
    lon: 44.0
    names:
      en: [Test Valley, Testvale]
      ru: [Тестовая долина, Тествейл]
    approximate: true
    geometry: {type: Polygon, coordinates: [[[43.9, 40.9], [44.1, 40.9], [44.1, 41.1], [43.9, 40.9]]]}
    source: "test"
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_build_then_reuse_then_rebuild_on_overlay_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlay = _write(tmp_path / "overlay.yaml", OVERLAY)
    cache = tmp_path / "cache"
    gaz = Gazetteer.from_sources([OverlaySource(overlay)], cache)
    assert [m.place_id for m in gaz.geoparse("Shelling in Testvale overnight.")] == [
        "overlay:test-valley"
    ]
    assert [m.text for m in gaz.geoparse("Бои в Тестовой долине.", "ru")] == ["Тестовой долине"]
    place = gaz.get("overlay:test-valley")
    assert place.geometry_approximate and place.geometry is not None
    first_version = gaz.version
    assert (cache / f"index-{first_version}" / "index.pkl").exists()

    # Warm load: the cached index is read, nothing is compiled.
    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index should have come from the cache")

    monkeypatch.setattr(index_build, "compile_index", no_compile)
    again = Gazetteer.from_sources([OverlaySource(overlay)], cache)
    assert again.version == first_version
    monkeypatch.undo()

    # Changing the overlay changes the version and rebuilds with the new names.
    _write(overlay, OVERLAY.replace("Testvale", "Probeland"))
    rebuilt = Gazetteer.from_sources([OverlaySource(overlay)], cache)
    assert rebuilt.version != first_version
    assert [m.place_id for m in rebuilt.geoparse("Shelling in Probeland overnight.")] == [
        "overlay:test-valley"
    ]
    assert rebuilt.geoparse("Shelling in Testvale overnight.") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("places: {}\n", "top-level 'places' list"),
        ("places:\n  - {id: x, name: X, type: region, lat: 1, lon: 2}\n", "missing 'source'"),
        (
            "places:\n  - {id: x, name: X, type: planet, lat: 1, lon: 2, source: s}\n",
            "unknown type",
        ),
        ("places: [unclosed\n", "invalid YAML"),
    ],
)
def test_malformed_overlay_is_a_data_error(tmp_path: Path, text: str, message: str) -> None:
    overlay = _write(tmp_path / "bad.yaml", text)
    with pytest.raises(GazetteerDataError, match=message):
        Gazetteer.from_sources([OverlaySource(overlay)], tmp_path / "cache")
    assert issubclass(GazetteerDataError, ValueError)


def test_packaged_overlay_entries_all_cite_a_source() -> None:
    src = OverlaySource()
    entries = list(src.entries())
    assert len(entries) > 30
    assert all(e.curated for e in entries)
    assert src.extensions()
    # the shared-border line is derived from Natural Earth, not written by hand
    border = next(e for e in entries if e.place_id == "overlay:armenia-azerbaijan-border")
    assert border.geometry is not None
    assert border.geometry["type"] in ("LineString", "MultiLineString")


def test_version_key_depends_on_overlay_contents(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.yaml", OVERLAY)
    b = _write(tmp_path / "b.yaml", OVERLAY + "\n")
    assert index_build.version_key([OverlaySource(a)]) != index_build.version_key(
        [OverlaySource(b)]
    )
    assert index_build.version_key([OverlaySource(a)]) == index_build.version_key(
        [OverlaySource(a)]
    )


def test_a_rebuild_removes_stale_indexes(tmp_path: Path) -> None:
    overlay = _write(tmp_path / "overlay.yaml", OVERLAY)
    cache = tmp_path / "cache"
    first = Gazetteer.from_sources([OverlaySource(overlay)], cache).version
    _write(overlay, OVERLAY.replace("Testvale", "Probeland"))
    # a recent index of another version may be in use by another process: it stays
    second = Gazetteer.from_sources([OverlaySource(overlay)], cache).version
    assert sorted(p.name for p in cache.glob("index-*")) == sorted(
        [f"index-{first}", f"index-{second}"]
    )
    # once stale, the next build removes it
    index_store.prune(cache, second, stale_after=0.0)
    assert sorted(p.name for p in cache.glob("index-*")) == [f"index-{second}"]
