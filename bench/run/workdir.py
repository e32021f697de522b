"""What the builds run on, kept under ``--workdir``: the synthetic corpora (generated once per
size and seed), a snapshot of the committed code, and the gazetteer index, ready before timing."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from bench.corpus import corpus_bytes, generate
from bench.run import MB, REPO


def parse_size(text: str) -> int:
    """A corpus size: ``"10k"`` → 10,000, ``"200"`` → 200."""
    text = text.strip().lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


#: A corpus folder and its megabytes of report text.
Corpus = tuple[Path, float]


def ready_corpus(workdir: Path, docs: int, seed: int) -> Corpus:
    """The corpus of ``docs`` reports and ``seed`` (generated unless kept from an earlier run),
    and its megabytes of report text."""
    folder = generate(workdir / f"corpus-{docs}-s{seed}", docs, seed)
    return folder, corpus_bytes(folder) / MB


def snapshot(workdir: Path) -> Path:
    """The committed HEAD, extracted under ``workdir`` (reused for the same commit).

    Builds run against this frozen copy, not the working tree, so that edits made while the
    benchmark runs neither mix two versions of the code nor change the code fingerprint in
    the cache key between the first build and the rebuild.
    """
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    dest = workdir / f"snapshot-{commit[:12]}"
    if not (dest / ".complete").exists():
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit], cwd=REPO, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        (dest / ".complete").write_text(commit, encoding="utf-8")
    for old in workdir.glob("snapshot-*"):
        if old != dest:  # snapshots of earlier commits are of no further use
            shutil.rmtree(old, ignore_errors=True)
    return dest


def code_env(code: Path | None) -> dict[str, str]:
    """This process's environment, with the snapshot ``code`` (if any) first on the path."""
    env = dict(os.environ)
    if code is not None:
        # The snapshot's packages come first on sys.path, before the editable install.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    return env


def prepare_index(code: Path | None) -> float:
    """Compile (or load) the gazetteer index once, untimed: its first-use compilation is a
    one-off per data version, not part of a build's cost. Returns the seconds it took."""
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from gazetteer import Gazetteer; Gazetteer.load()"],
        env=code_env(code),
        cwd=tempfile.gettempdir(),  # not the repo: its packages would shadow the snapshot
        check=True,
    )
    return time.perf_counter() - t
