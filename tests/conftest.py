"""Shared fixtures: the seed articles, copies of them in temporary folders, the gazetteer."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The committed seed articles (read-only: copy them before changing anything)."""
    return SEEDS


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds (articles and sources.yaml) in a temporary folder."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    for f in dest.iterdir():
        f.chmod(0o644)  # the committed seeds are read-only
    return dest


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """The offline gazetteer, loaded once per test session (loading is the slow part)."""
    from gazetteer import Gazetteer

    return Gazetteer.load()
