"""How to build a :class:`~gazetteer.Gazetteer`: a small, picklable value.

Worker processes and Dask workers receive this and load their own gazetteer from it (the
compiled index is cached on disk, so that is cheap).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class GazetteerConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    boundaries: Path | None = Field(
        default=None,
        description="User boundaries (GeoJSON, GeoPackage, Shapefile) with a name column.",
    )
    boundaries_name_column: str | None = Field(
        default=None, description="Column holding the names; guessed when None."
    )
    online: bool = Field(default=False, description="Opt-in Nominatim fallback for unknown names.")
    user_agent: str | None = Field(default=None, description="User agent for the online fallback.")
    demonyms: bool = Field(
        default=False,
        description="Count demonyms ('Armenian', 'Russians') as mentions of their place "
        "(GeoWebNews and LGL annotate them); off by default, as they name people more often.",
    )
    landmark_actors: bool = Field(
        default=True,
        description="Count a landmark that names the institution inside it ('the Kremlin "
        "said', 'White House aides') as a mention of its city. Off, a landmark counts only "
        "where the text locates something at it ('talks at the Kremlin'), as the geoparsing "
        "corpora annotate them.",
    )
    streets: bool = Field(
        default=False,
        description="Tag streets and minor features ('Orchard Street', 'Neches River') as "
        "mentions, placed approximately at the town the text ties them to, as the geoparsing "
        "corpora annotate them.",
    )
    cache_dir: Path | None = Field(
        default=None,
        description="Where the compiled index lives; platformdirs' user cache by default.",
    )
