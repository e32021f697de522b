"""GeoJSON export: ``events.geojson`` and ``places.geojson`` (RFC 7946 FeatureCollections)."""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import Any

from gazetteer.models import Mention
from geo.build.outputs import WriteOptions, write_if_changed
from geo.models import BuildResult
from maps.features import event_features, feature_collection, place_features

#: Sorted nothing: property order is the contract's order; compact but readable lines. The
#: features are built here, without cycles, so the encoder's cycle check is skipped (~10%).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _dumps(obj: Any) -> str:
    return _ENCODER.encode(obj) + "\n"


class GeoJSONWriter:
    """``events.geojson`` and ``places.geojson`` (RFC 7946 FeatureCollections)."""

    name = "geojson"

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]:
        paths = [Path(out_dir) / "events.geojson", Path(out_dir) / "places.geojson"]
        write_if_changed(paths[0], _dumps(feature_collection(event_features(result))))
        write_if_changed(paths[1], _places_json(result))
        return paths


def _places_json(result: BuildResult) -> str:
    """``_dumps(feature_collection(place_features(result)))``, the same text made faster.

    The mentions are most of the file (one per place name in every source): they are written
    as text directly instead of as a dict each, which the encoder then walks. Each feature is
    encoded without its mentions, the last property, which are then spliced in.
    """
    encode = _ENCODER.encode
    # Mentions in (source_id, start, end) order, as place_mentions sorts them. A build's are
    # in that order already: checked while reading them, sorted only if they are not.
    by_place = _mentions_json(result.mentions, encode)
    if by_place is None:
        key = attrgetter("source_id", "start", "end")
        by_place = _mentions_json(sorted(result.mentions, key=key), encode)
        assert by_place is not None  # a sorted list is in order
    features = place_features(result, mentions={})
    if any(
        list(f)[-1] != "properties" or list(f["properties"])[-1] != "mentions" for f in features
    ):
        return _dumps(feature_collection(place_features(result)))  # layout changed: no splicing
    parts = []
    for feature in features:
        props = feature["properties"]
        del props["mentions"]
        text = encode(feature)
        mentions = ",".join(by_place.get(props["place_id"], ()))
        parts.append(f'{text[:-2]},"mentions":[{mentions}]}}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}\n"


def _mentions_json(
    mentions: list[Mention], encode: Callable[[Any], str]
) -> dict[str, list[str]] | None:
    """Each resolved mention as JSON text, per place, in list order; None if the list is not
    in (source_id, start, end) order."""
    strings: dict[str, str] = {}  # source ids and place names recur
    by_place: dict[str, list[str]] = {}
    last_source, last_start, last_end = "", -1, -1
    for m in mentions:
        source_id, start, end = m.source_id, m.start, m.end
        if source_id != last_source:
            if source_id < last_source:
                return None
            last_source, last_start, last_end = source_id, start, end
        elif (start, end) < (last_start, last_end):
            return None
        else:
            last_start, last_end = start, end
        if not m.place_id:
            continue
        sid = strings.get(source_id)
        if sid is None:
            sid = strings[source_id] = encode(source_id)
        text = strings.get(m.text)
        if text is None:
            text = strings[m.text] = encode(m.text)
        # A plain int's JSON is its str(); anything else goes through the encoder.
        start_json = str(start) if type(start) is int else encode(start)
        end_json = str(end) if type(end) is int else encode(end)
        by_place.setdefault(m.place_id, []).append(
            f'{{"source_id":{sid},"start":{start_json},"end":{end_json},"text":{text}}}'
        )
    return by_place
