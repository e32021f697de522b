"""Watch mode with real file changes: rebuilds, debouncing, and surviving errors."""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any

import pytest

from geo.build.pipeline import build_lock
from geo.build.watch import SourceFilter, watch
from geo.errors import BuildLockedError
from geo.models import BuildResult

TIMEOUT = 20.0  # seconds; a watcher that never fires fails the test instead of hanging it


class Watcher:
    """Runs :func:`geo.build.watch.watch` in a thread and hands each build's outcome to the test."""

    def __init__(self, src: Path, out: Path, gazetteer: Any, **kw: Any) -> None:
        self.outcomes: queue.Queue[tuple[BuildResult | None, BaseException | None]] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch,
            args=([src], out),
            kwargs={
                "on_build": lambda r, e: self.outcomes.put((r, e)),
                "stop_event": self.stop,
                "debounce_ms": 100,
                "gazetteer": gazetteer,
                "engine": "serial",
                **kw,
            },
            daemon=True,
        )

    def __enter__(self) -> Watcher:
        self.thread.start()
        return self

    def next(self) -> tuple[BuildResult | None, BaseException | None]:
        return self.outcomes.get(timeout=TIMEOUT)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "watcher did not stop"


@pytest.fixture
def small(tmp_path: Path, seeds_dir: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("000_76d729122949cfe9.txt", "004_52f5e189ca4c6ea6.txt"):
        (src / name).write_text((seeds_dir / name).read_text(encoding="utf-8"), encoding="utf-8")
    return src


def _statuses(result: BuildResult | None) -> dict[str | None, str]:
    assert result is not None
    return {s.source_id: s.status for s in result.manifest.sources}


def test_watch_rebuilds_on_change_and_keeps_running_through_errors(
    small: Path, tmp_path: Path, gazetteer: Any
) -> None:
    out = tmp_path / "out"
    with Watcher(small, out, gazetteer, lock_timeout=0.1) as w:
        result, error = w.next()
        assert error is None and set(_statuses(result).values()) == {"processed"}

        # A real edit: only that source is processed again.
        f = small / "004_52f5e189ca4c6ea6.txt"
        f.write_text(f.read_text(encoding="utf-8") + "\nClashes near Lachin.\n", encoding="utf-8")
        result, error = w.next()
        assert error is None
        assert _statuses(result) == {
            "000_76d729122949cfe9": "reused",
            "004_52f5e189ca4c6ea6": "processed",
        }

        # A bad file is a warning, not a failure.
        (small / "broken.txt").write_bytes(b"")
        result, error = w.next()
        assert error is None and _statuses(result)["broken"] == "skipped"

        # A failing build (the output folder is locked) is reported; watching goes on.
        with build_lock(out):
            (small / "new.md").write_text("Talks were held in Sochi.\n", encoding="utf-8")
            result, error = w.next()
        assert result is None and isinstance(error, BuildLockedError)
        (small / "new.md").write_text("Talks were held in Minsk.\n", encoding="utf-8")
        result, error = w.next()
        assert error is None and _statuses(result)["new"] == "processed"

        # Changes to outputs do not trigger builds (out is inside the watched folder's parent).
        (small / "notes.pdf").write_bytes(b"%PDF-1.4")
        with pytest.raises(queue.Empty):
            w.outcomes.get(timeout=0.6)


def test_filter_ignores_outputs_hidden_and_other_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    out = src / "out"
    one = tmp_path / "single.html"
    (src / ".git").mkdir(parents=True)
    one.write_text("<p>x</p>", encoding="utf-8")
    flt = SourceFilter([src, one], out)
    from watchfiles import Change

    assert flt(Change.modified, str(src / "a.txt"))
    assert flt(Change.added, str(src / "deep" / "b.md"))
    assert flt(Change.modified, str(src / "sources.yaml"))
    assert flt(Change.modified, str(one))
    assert not flt(Change.modified, str(out / "events.csv"))
    assert not flt(Change.modified, str(out / "x.txt"))
    assert not flt(Change.modified, str(src / ".git" / "x.txt"))
    assert not flt(Change.modified, str(src / "image.png"))
    assert not flt(Change.modified, str(tmp_path / "other.html"))
    assert flt.roots() == sorted({src.resolve(), tmp_path.resolve()})


def test_watch_command_in_a_real_process(small: Path, tmp_path: Path) -> None:
    """``conflictmap watch`` as a user runs it: a build, an edit, a rebuild, then Ctrl-C."""
    import os
    import signal
    import subprocess
    import sys
    import time

    exe = Path(sys.executable).parent / "conflictmap"
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            str(exe),
            "watch",
            str(small),
            "--out",
            str(out),
            "--engine",
            "serial",
            "--debounce",
            "100",
        ],  # fmt: skip
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stderr is not None
    stderr = proc.stderr

    def read() -> None:
        for ln in stderr:
            lines.put(ln)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def wait_for(text: str, seconds: float = 60) -> list[str]:
        seen = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"no {text!r} in {seen}")

    try:
        # The first build may compile the gazetteer index (once per gazetteer version).
        first = wait_for("watching for changes", 240)
        assert any("2 processed" in ln for ln in first)
        f = small / "000_76d729122949cfe9.txt"
        f.write_text(f.read_text(encoding="utf-8") + "\nTalks in Minsk.\n", encoding="utf-8")
        second = wait_for("watching for changes")
        assert any("1 processed, 1 reused" in ln for ln in second), second
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode in (0, 130)
    assert "Traceback" not in "".join(first + second)
