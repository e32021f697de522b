"""Digests of every output, to prove a refactoring changed nothing: ``python bench/digests.py OUT.json``.

It drives the installed ``conflictmap`` command only (so it survives any reorganisation of the
code) over three inputs and records a SHA-256 of each output file:

- the seeds (``seeds/``): ``build --engine serial --format gpkg,parquet`` (``build.json`` left out:
  it holds timings);
- a synthetic corpus of ``--docs`` reports (``bench/corpus.py``, fixed seed): ``build`` and
  ``geoparse`` of every report;
- the texts of ``../shared/eval`` (read in place, never copied into the repository): ``geoparse``
  of each corpus, and ``build`` of the UCDP headline sets written as dated sources into a
  temporary folder.

Two digest files are compared with ``python bench/digests.py --compare A.json B.json``. Every
build runs with ``SOURCE_DATE_EPOCH`` pinned and ``--no-cache`` into a fresh temporary folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUTPUTS = ("events.geojson", "places.geojson", "events.csv", "map.html", "events.gpkg")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("conflictmap")
    return [str(exe)]


def _run(args: list[str]) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    subprocess.run(_cli() + args, check=True, env=env, stdout=subprocess.DEVNULL)


def _build(sources: Path, out: Path) -> dict[str, str]:
    _run(["build", str(sources), "--out", str(out), "--engine", "serial", "--no-cache", "-q"])
    got = {name: _sha(out / name) for name in OUTPUTS if name != "events.gpkg"}
    return got


def _geoparse(jsonl: Path, out: Path) -> str:
    _run(["geoparse", str(jsonl), "--out", str(out)])
    return _sha(out)


def _texts_jsonl(folder: Path, target: Path) -> Path:
    with target.open("w", encoding="utf-8") as fh:
        for i, path in enumerate(sorted(folder.rglob("*.txt"))):
            text = path.read_text(encoding="utf-8")
            fh.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
    return target


def _ucdp_sources(eval_dir: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    src = eval_dir / "ucdp_headlines.dev.jsonl"
    for line in src.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        front = f"---\npublished: {row['published']}\nlanguage: {row.get('language', 'en')}\n---\n"
        (target / f"{row['id']}.txt").write_text(front + row["text"] + "\n", encoding="utf-8")
    return target


def digests(docs: int, eval_dir: Path) -> dict[str, str]:
    result: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="cm-digests-") as tmp_name:
        tmp = Path(tmp_name)
        seeds_out = tmp / "seeds-out"
        _run(
            ["build", str(ROOT / "seeds"), "--out", str(seeds_out), "--engine", "serial"]
            + ["--no-cache", "-q", "--format", "gpkg,parquet"]
        )
        for name in OUTPUTS:
            result[f"seeds/{name}"] = _sha(seeds_out / name)
        if docs:
            corpus = tmp / "corpus"
            subprocess.run(
                [sys.executable, str(HERE / "corpus.py"), str(corpus), "--docs", str(docs)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            for name, sha in _build(corpus, tmp / "synthetic-out").items():
                result[f"synthetic{docs}/{name}"] = sha
            jsonl = _texts_jsonl(corpus, tmp / "synthetic.jsonl")
            result[f"synthetic{docs}/geoparse"] = _geoparse(jsonl, tmp / "synthetic.geoparse")
        if eval_dir.is_dir():
            for path in sorted(eval_dir.glob("*.jsonl")):
                result[f"eval/{path.name}/geoparse"] = _geoparse(path, tmp / f"{path.name}.out")
            if (eval_dir / "ucdp_headlines.dev.jsonl").exists():
                ucdp = _ucdp_sources(eval_dir, tmp / "ucdp")
                for name, sha in _build(ucdp, tmp / "ucdp-out").items():
                    result[f"eval/ucdp-build/{name}"] = sha
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="Where to write the digests (JSON).")
    parser.add_argument("--docs", type=int, default=1000, help="Synthetic reports (0: none).")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args(argv)
    if args.compare:
        a, b = (json.loads(p.read_text()) for p in args.compare)
        differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        for key in differ:
            print(f"DIFFERENT {key}: {a.get(key, 'absent')} vs {b.get(key, 'absent')}")
        print("identical" if not differ else f"{len(differ)} of {len(set(a) | set(b))} differ")
        return 1 if differ else 0
    got = digests(args.docs, args.eval_dir)
    text = json.dumps(got, indent=1, sort_keys=True) + "\n"
    if args.out:
        args.out.write_text(text)
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
