"""Typed values of the gazetteer: places, candidates and mentions.

These are the models that cross module boundaries; nothing else passes loose dicts around.
Coordinates are stored as separate ``lat``/``lon`` fields; GeoJSON geometries use
``[lon, lat]`` order (RFC 7946). The swap happens only in :attr:`Place.__geo_interface__`
and in the exporters that write GeoJSON.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from geojson_pydantic.geometries import Geometry
from pydantic import BaseModel, ConfigDict, Field, field_validator

FeatureType = Literal[
    "country",  # sovereign state or territory
    "region",  # historical / political region spanning admin units (Nagorno-Karabakh, Donbas)
    "admin1",  # first-order administrative division (province, oblast, marz)
    "district",  # second-order / rayon-level division
    "locality",  # populated place: city, town, village
    "corridor",  # a transit corridor or road (Lachin corridor)
    "border",  # an international border or line of contact
    "landmark",  # a building or site that stands for a city (the Kremlin)
    "water",  # sea, lake, river
    "other",
]

GeoPrecision = Literal["point", "locality", "district", "region", "country"]

#: How precise an event located at a place of each feature type is.
GEO_PRECISION: dict[str, GeoPrecision] = {
    "country": "country",
    "region": "region",
    "admin1": "region",
    "district": "district",
    "locality": "locality",
    "corridor": "district",
    "border": "region",
    "landmark": "point",
    "water": "region",
    "other": "region",
}


class Place(BaseModel):
    """A resolved place with a representative point and, where known, its own geometry."""

    model_config = ConfigDict(frozen=True)

    place_id: str = Field(
        description="Stable id, e.g. 'geonames:174875' or 'overlay:lachin-corridor'."
    )
    name: str = Field(description="Canonical English name.")
    feature_type: FeatureType
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2, upper case.")
    admin1: str | None = Field(default=None, description="Name of the first-order division.")
    lat: float
    lon: float
    population: int = 0
    geometry: Geometry | None = Field(
        default=None, description="The place's own geometry (GeoJSON, [lon, lat]); None = point."
    )
    geometry_approximate: bool = Field(
        default=False, description="True when the geometry is a hand-made approximation."
    )
    dataset: str = Field(description="Which gazetteer source produced it: geonames, overlay, ...")

    @field_validator("lat")
    @classmethod
    def _check_lat(cls, v: float) -> float:
        if not math.isfinite(v) or not -90.0 <= v <= 90.0:
            raise ValueError(f"latitude must be finite and within [-90, 90], got {v}")
        return v

    @field_validator("lon")
    @classmethod
    def _check_lon(cls, v: float) -> float:
        if not math.isfinite(v) or not -180.0 <= v <= 180.0:
            raise ValueError(f"longitude must be finite and within [-180, 180], got {v}")
        return v

    @property
    def geo_precision(self) -> GeoPrecision:
        return GEO_PRECISION.get(self.feature_type, "region")

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        if self.geometry is not None:
            return self.geometry.model_dump(exclude_none=True)
        # GeoJSON order is [lon, lat]: the one place the swap happens for points.
        return {"type": "Point", "coordinates": [self.lon, self.lat]}


class Candidate(BaseModel):
    """One place a mention could refer to, with its score and the reasons for it."""

    place_id: str
    score: float
    reasons: list[str] = Field(default_factory=list)


class Mention(BaseModel):
    """A place name found in a text, and what it resolved to."""

    source_id: str = ""
    start: int = Field(ge=0, description="Character offset (Python str index) of the first char.")
    end: int = Field(ge=0, description="Offset one past the last char.")
    text: str = Field(description="The surface form, text[start:end].")
    lang: str = "en"
    kind: Literal["name", "adjective", "demonym", "landmark"] = "name"
    place_id: str | None = Field(default=None, description="Chosen place, None if unresolved.")
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    candidates: list[Candidate] = Field(default_factory=list)
    explanation: list[str] = Field(default_factory=list, description="Why this place was chosen.")
