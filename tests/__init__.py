"""The tests, one package per package of the project (gazetteer, geo, maps) and bench."""

from pathlib import Path

#: The repository root and the committed seed articles.
REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
