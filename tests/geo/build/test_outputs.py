"""Atomic, change-only writes and writer lookup (geo.build.outputs)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from geo.build.outputs import DEFAULT_FORMATS, available_formats, get_writer, write_if_changed
from geo.errors import ConfigError


def test_writes_only_when_content_changes(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "a.json"
    assert write_if_changed(path, "{}")
    mtime = path.stat().st_mtime_ns
    assert not write_if_changed(path, b"{}")
    assert path.stat().st_mtime_ns == mtime
    assert write_if_changed(path, "[]") and path.read_text() == "[]"
    assert [p.name for p in path.parent.iterdir()] == ["a.json"]  # no temp files left


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "map.html"
    write_if_changed(path, "<html></html>")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.csv"
    path.write_text("old")

    def fail(src: str, dst: object) -> None:
        raise KeyboardInterrupt  # as a Ctrl-C in the middle of a write

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        write_if_changed(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]


def test_default_writers_are_registered() -> None:
    assert set(DEFAULT_FORMATS) <= set(available_formats())
    for fmt in DEFAULT_FORMATS:
        assert get_writer(fmt).name == fmt
    with pytest.raises(ConfigError, match="unknown output format 'doc'"):
        get_writer("doc")
