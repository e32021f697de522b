"""Shared fixtures: the seed articles, copies of them in temporary folders, the gazetteer."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import SEEDS

if TYPE_CHECKING:
    from gazetteer import Gazetteer


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


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory: pytest.TempPathFactory, gazetteer: Gazetteer) -> tuple[Path, Path]:
    """The seeds built once per session: (sources folder, output folder with its cache).

    Read-only for tests; use :func:`warm_build` for a private copy.
    """
    from geo.build.pipeline import build

    root = tmp_path_factory.mktemp("prebuilt")
    src = root / "seeds"
    shutil.copytree(SEEDS, src)
    for f in src.iterdir():
        f.chmod(0o644)
    out = root / "out"
    build([src], out, gazetteer=gazetteer, engine="serial")
    return src, out


@pytest.fixture
def warm_build(prebuilt: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of :func:`prebuilt`: the seeds and an output folder with a warm cache.

    File times are kept, so the copy counts as untouched by the previous build.
    """
    src, out = tmp_path / "seeds", tmp_path / "out"
    shutil.copytree(prebuilt[0], src)
    shutil.copytree(prebuilt[1], out)
    return src, out
