"""How each event type looks: a colour and a small inline SVG symbol.

Icons are inline SVG (Leaflet ``DivIcon``s): offline there are no marker images to load.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict


class EventStyle(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    color: str
    #: SVG shapes drawn in white on the coloured disc, in a 24x24 viewBox.
    glyph: str


STYLES: dict[str, EventStyle] = {
    "summit": EventStyle(
        label="Summit",
        color="#6a3d9a",
        glyph='<path d="M12 4l2.4 5 5.4.6-4 3.7 1.1 5.4L12 16l-4.9 2.7 1.1-5.4-4-3.7 5.4-.6z"/>',
    ),
    "talks": EventStyle(
        label="Talks",
        color="#1f78b4",
        glyph='<path d="M5 6h14v9H10l-4 3v-3H5z"/>',
    ),
    "call": EventStyle(
        label="Call",
        color="#17a2b8",
        glyph=(
            '<path d="M7 4h3l1.5 4-2 1.3a9 9 0 0 0 5.2 5.2l1.3-2 4 1.5v3a2 2 0 0 1-2 2'
            'A15 15 0 0 1 5 6a2 2 0 0 1 2-2z"/>'
        ),
    ),
    "visit": EventStyle(
        label="Visit",
        color="#33a02c",
        glyph='<path d="M7 4h2v16H7z"/><path d="M9 5h9l-2.5 3.5L18 12H9z"/>',
    ),
    "clash": EventStyle(
        label="Clash",
        color="#e31a1c",
        glyph=(
            '<path d="M5 6.5 6.5 5 19 17.5 17.5 19z"/><path d="M17.5 5 19 6.5 6.5 19 5 17.5z"/>'
        ),
    ),
    "ceasefire": EventStyle(
        label="Ceasefire",
        color="#ff7f00",
        glyph='<path d="M7 5h3.5v14H7zM13.5 5H17v14h-3.5z"/>',
    ),
    "territory_transfer": EventStyle(
        label="Territory transfer",
        color="#8c510a",
        glyph='<path d="M4 9l5-4v3h8v2H4zM20 15l-5 4v-3H7v-2h13z"/>',
    ),
    "deployment": EventStyle(
        label="Deployment",
        color="#4d4d4d",
        glyph='<path d="M12 4l8 6v3l-8-6-8 6v-3zM12 10l8 6v3l-8-6-8 6v-3z"/>',
    ),
}

#: Colour of each layer's marker clusters.
LAYER_COLORS: dict[str, str] = {
    "diplomacy": "#1f5f99",
    "clashes": "#b3121b",
    "territory": "#6b4a1c",
}

#: Layer keys, their control labels and their event types, in display order.
LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "diplomacy": ("Diplomacy", ("summit", "talks", "call", "visit")),
    "clashes": ("Clashes", ("clash", "ceasefire")),
    "territory": ("Territory", ("territory_transfer", "deployment")),
}

#: Colours for the parties that gain territory (ColorBrewer Dark2 + Set1, colour-blind aware).
PARTY_PALETTE: tuple[str, ...] = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#377eb8",
)
UNKNOWN_PARTY_COLOR = "#999999"


def party_colors(parties: list[str]) -> dict[str, str]:
    """A stable colour per gaining party: in sorted order from the palette, then hashed."""
    out: dict[str, str] = {}
    for i, party in enumerate(sorted(set(parties))):
        if i < len(PARTY_PALETTE):
            out[party] = PARTY_PALETTE[i]
        else:
            digest = hashlib.sha256(party.encode("utf-8")).hexdigest()
            out[party] = f"#{digest[:6]}"
    return out


def icon_svg(event_type: str, fill: str | None = None, size: int = 26) -> str:
    """A round marker with the type's glyph, as SVG markup (trusted, no user text)."""
    style = STYLES[event_type]
    color = fill or style.color
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 24 24"><circle cx="12" cy="12" r="11" fill="{color}" '
        f'stroke="#fff" stroke-width="1.5"/><g fill="#fff">{style.glyph}</g></svg>'
    )
