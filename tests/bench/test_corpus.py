"""The benchmark corpus (bench/corpus.py) is deterministic and readable by the pipeline."""

from __future__ import annotations

from pathlib import Path

from bench import corpus
from geo.ingest import load_sources


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = corpus.generate(tmp_path / "a", 30, seed=3, per_folder=20)
    b = corpus.generate(tmp_path / "b", 30, seed=3, per_folder=20)
    c = corpus.generate(tmp_path / "c", 30, seed=4, per_folder=20)
    assert _files(a) == _files(b)
    assert _files(a) != _files(c)


def test_reports_are_realistic_and_load_with_metadata(tmp_path: Path) -> None:
    out = corpus.generate(tmp_path / "corpus", 60, seed=7, per_folder=25)
    loaded = load_sources([out])
    assert not loaded.warnings
    assert len(loaded.sources) == 60
    sizes = [len(s.text.encode("utf-8")) for s in loaded.sources]
    # About 3 KB each, like the seed articles.
    assert 2000 < sum(sizes) / len(sizes) < 4000
    langs = {s.language for s in loaded.sources}
    assert langs == {"en", "ru"}
    assert all(s.published is not None and s.title and s.outlet for s in loaded.sources)
    assert corpus.corpus_bytes(out) == sum(sizes)
