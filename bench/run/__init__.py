"""Benchmark conflictmap on synthetic corpora and append the figures to bench/results.md.

For each size (1k and 10k reports by default; ``--sizes 1k,10k,100k`` for the long run) it:

1. generates the corpus once (``bench/corpus.py``, fixed seed, cached under ``--workdir``);
2. runs ``conflictmap build CORPUS --out OUT`` in a fresh process, end to end, timing it and
   sampling the resident memory of the whole process tree (pool workers included);
3. runs the same build again over the unchanged corpus (the incremental rebuild);
4. reads the stage timings of both builds from ``build.json``.

Then, on one core in this process, it times the per-source stages apart on a sample of the
largest corpus: ``Gazetteer.geoparse`` (recognise + resolve), ``extract_events``,
``merge_events``, and the writers (map.html, GeoJSON, CSV) on 10,000 events.

Targets (issue 7 and issue 5): 10k reports end to end ≤ 60 s and ≤ 1.5 GB peak; no-change
rebuild ≤ 2 s; gazetteer ≥ 2 MB/s on one core; extraction ≥ 1 MB/s end to end; 10k events
render ≤ 10 s.

The rooms: :mod:`~bench.run.workdir` (corpora, the code snapshot, the index warm-up),
:mod:`~bench.run.builds` (end-to-end builds in a fresh process, with their memory),
:mod:`~bench.run.stages` (the stage timings in this process), :mod:`~bench.run.report` (the
Markdown section appended to results.md) and :mod:`~bench.run.cli` (the command).

Usage: ``python -m bench.run [--sizes 1k,10k] [--engine auto] [--workers N] [--profile]``.
"""

from pathlib import Path

#: The repository the benchmark belongs to (its HEAD is what a snapshot freezes).
REPO = Path(__file__).resolve().parent.parent.parent
#: Bytes in a megabyte, as every figure here counts them.
MB = 1_000_000
